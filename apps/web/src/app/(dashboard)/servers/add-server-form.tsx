'use client';
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE } from '@/components/form-state';
import { ArgvChips } from '@/components/argv-chips';
import { PlusIcon } from '@/components/icons';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { installServerAction } from './actions';

export function AddServerForm({
  slug,
  defaultName,
  transport,
  defaultUrl,
  command,
}: {
  slug: string;
  defaultName: string;
  transport: string;
  defaultUrl: string | null;
  /** stdio: the exact argv, shown before the first start so "Add" confirms what will run. */
  command: readonly string[];
}) {
  const [state, action] = useActionState(installServerAction, IDLE);
  const submit = (
    <SubmitButton variant="secondary" pendingLabel="Adding…" data-testid={`add-server-submit-${slug}`}>
      <PlusIcon className="size-3.5" />
      Add
    </SubmitButton>
  );
  return (
    <form action={action} className="space-y-3" data-testid={`add-server-form-${slug}`} noValidate>
      <input type="hidden" name="server" value={slug} />
      <FormAlert state={state} fields={['name', 'config.url']} data-testid={`add-server-error-${slug}`} />
      {transport !== 'http' && (
        <div className="space-y-1">
          <p className="text-xs font-medium text-zinc-500">
            Adding it lets the worker start exactly this (plus the installation’s own arguments):
          </p>
          <ArgvChips argv={command} testId={`add-server-argv-${slug}`} />
        </div>
      )}
      <div className="flex items-start gap-2">
        <Field
          id={`add-${slug}-name`}
          label="Installation name"
          className="flex-1"
          errors={errorsFor(state, 'name')}
          errorTestId={`add-server-name-${slug}`}
        >
          <Input
            name="name"
            defaultValue={state.values?.name ?? defaultName}
            autoComplete="off"
            required
            className="font-mono"
            data-testid={`add-server-name-${slug}`}
          />
        </Field>
        {transport !== 'http' && <div className="pt-[1.625rem]">{submit}</div>}
      </div>
      {transport === 'http' && (
        <>
          <Field
            id={`add-${slug}-url`}
            label="Server URL"
            optional={Boolean(defaultUrl)}
            hint={
              defaultUrl
                ? 'Leave empty to use the catalog’s default endpoint.'
                : 'The Streamable HTTP endpoint, e.g. https://example.com/mcp'
            }
            errors={errorsFor(state, 'config.url')}
            errorTestId={`add-server-url-${slug}`}
          >
            <Input
              name="url"
              type="url"
              inputMode="url"
              defaultValue={state.values?.url}
              placeholder={defaultUrl ?? 'https://…/mcp'}
              data-testid={`add-server-url-${slug}`}
            />
          </Field>
          {submit}
        </>
      )}
    </form>
  );
}
