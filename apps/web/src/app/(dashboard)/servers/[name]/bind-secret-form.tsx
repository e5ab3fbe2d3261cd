'use client';
// Binds secrets to an installation: a declared argument or env variable of a stdio server, or an HTTP header
// of a remote one.
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { bindSecretAction } from '../actions';

export function BindSecretForm({ name, transport }: { name: string; transport: string }) {
  const [state, action] = useActionState(bindSecretAction.bind(null, name, transport), IDLE);
  const fields = transport === 'http' ? ['config.headers'] : ['config.args', 'config.env'];
  return (
    <form action={action} className="space-y-2" data-testid="bind-secret-form" noValidate>
      <FormAlert state={state} fields={fields} data-testid="bind-secret-error" />
      <Field id="bind-key" label={transport === 'http' ? 'Header' : 'Declared argument or environment variable'}>
        <Input
          name="key"
          defaultValue={state.values?.key}
          placeholder={transport === 'http' ? 'Authorization' : 'API_KEY'}
          className="font-mono"
          data-testid="bind-secret-key"
        />
      </Field>
      <Field
        id="bind-value"
        label="Value"
        hint="Refer to secrets by name, e.g. Bearer {{ secrets.GITHUB_TOKEN }}"
        errors={fields.flatMap((field) => errorsFor(state, field))}
        errorTestId="bind-secret-value"
      >
        <Input
          name="value"
          defaultValue={state.values?.value}
          placeholder="{{ secrets.NAME }}"
          className="font-mono"
          data-testid="bind-secret-value"
        />
      </Field>
      {state.status === 'success' && (
        <p role="status" className="text-xs text-emerald-700" data-testid="bind-secret-success">
          {state.message}
        </p>
      )}
      <SubmitButton variant="secondary" pendingLabel="Saving…" data-testid="bind-secret-submit">
        Bind
      </SubmitButton>
    </form>
  );
}
