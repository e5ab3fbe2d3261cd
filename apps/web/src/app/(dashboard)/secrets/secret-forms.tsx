'use client';
// Write-only secret inputs: type=password, no default value, never refilled from the server.
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { GuardedDeleteForm } from '@/components/guarded-delete-form';
import { errorsFor, IDLE } from '@/components/form-state';
import { PlusIcon } from '@/components/icons';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { createSecretAction, deleteSecretAction, putSecretVersionAction } from './actions';

function Success({ message, testId }: { message?: string | undefined; testId: string }) {
  return message ? (
    <p role="status" className="text-sm text-emerald-700" data-testid={testId}>
      {message}
    </p>
  ) : null;
}

export function CreateSecretForm() {
  const [state, action] = useActionState(createSecretAction, IDLE);
  return (
    <form action={action} className="space-y-3" data-testid="create-secret-form" noValidate>
      <FormAlert state={state} fields={['name', 'value', 'description']} data-testid="create-secret-error" />
      {state.status === 'success' && <Success message={state.message} testId="create-secret-success" />}
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <Field id="secret-name" label="Name" hint="e.g. GITHUB_TOKEN" errors={errorsFor(state, 'name')} errorTestId="secret-name">
          <Input
            name="name"
            defaultValue={state.status === 'error' ? state.values?.name : ''}
            autoComplete="off"
            className="font-mono"
            data-testid="secret-name"
          />
        </Field>
        <Field
          id="secret-value"
          label="Value"
          hint="Write-only: never shown again."
          errors={errorsFor(state, 'value')}
          errorTestId="secret-value"
        >
          <Input name="value" type="password" autoComplete="new-password" data-testid="secret-value" />
        </Field>
        <Field id="secret-description" label="Description" optional errors={errorsFor(state, 'description')}>
          <Input
            name="description"
            defaultValue={state.status === 'error' ? state.values?.description : ''}
            autoComplete="off"
            data-testid="secret-description"
          />
        </Field>
      </div>
      <SubmitButton pendingLabel="Saving…" data-testid="create-secret-submit">
        <PlusIcon className="size-3.5" />
        Save secret
      </SubmitButton>
    </form>
  );
}

export function NewVersionForm({ name }: { name: string }) {
  const [state, action] = useActionState(putSecretVersionAction.bind(null, name), IDLE);
  return (
    <form action={action} className="flex items-start gap-2" data-testid={`new-version-form-${name}`} noValidate>
      <div className="space-y-1">
        <Input
          name="value"
          type="password"
          autoComplete="new-password"
          placeholder="New value"
          aria-label={`New value for ${name}`}
          data-testid={`new-version-value-${name}`}
        />
        {state.status === 'error' && (
          <p role="alert" className="text-xs text-red-700" data-testid={`new-version-error-${name}`}>
            {state.message}{' '}
            {errorsFor(state, 'value')
              .map((e) => e.message)
              .join(' ')}
          </p>
        )}
        {state.status === 'success' && <Success message={state.message} testId={`new-version-success-${name}`} />}
      </div>
      <SubmitButton variant="secondary" pendingLabel="Saving…" data-testid={`new-version-submit-${name}`}>
        New version
      </SubmitButton>
    </form>
  );
}

export function DeleteSecretForm({ name, inUse }: { name: string; inUse: boolean }) {
  return <GuardedDeleteForm action={deleteSecretAction.bind(null, name)} inUse={inUse} testId="delete-secret" name={name} />;
}
