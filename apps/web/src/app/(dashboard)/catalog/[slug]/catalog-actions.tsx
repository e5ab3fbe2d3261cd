'use client';
// Client parts of the catalog detail page: install with configuration and limits, and "certify now".
import Link from 'next/link';
import { useActionState } from 'react';
import { ArgvChips } from '@/components/argv-chips';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE, type FormState } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { certifyAction, installFromCatalogAction, type CertifyState } from '../actions';

/** One setting a catalog entry declares (server.json packageArguments / environmentVariables). */
export interface DeclaredSetting {
  key: string;
  format: 'string' | 'number' | 'boolean' | 'filepath';
  description: string;
  isRequired: boolean;
  isRepeated: boolean;
  isSecret: boolean;
  /** Set by the catalog entry; shown, never editable. */
  fixed: string | null;
  placeholder: string;
}
export interface DeclaredSettings {
  arguments: DeclaredSetting[];
  env: DeclaredSetting[];
  /** The entry's declarations do not parse: it cannot be installed until they are fixed. */
  problem: string | null;
}

function SettingField({
  setting,
  kind,
  values,
  state,
}: {
  setting: DeclaredSetting;
  kind: 'arg' | 'env';
  values: Record<string, string>;
  state: FormState;
}) {
  const name = `${kind}:${setting.key}`;
  const path = `config.${kind === 'arg' ? 'args' : 'env'}.${setting.key}`;
  const id = `install-${kind}-${setting.key}`;
  if (setting.fixed !== null)
    return (
      <p className="text-xs text-zinc-500" data-testid={`${id}-fixed`}>
        <code className="font-mono">{setting.key}</code> is set by the catalog: <code className="font-mono">{setting.fixed}</code>
        {setting.format === 'filepath' ? ' (inside the installation folder)' : ''}
      </p>
    );
  const hint = [
    setting.description,
    setting.format === 'filepath' ? 'Relative to the installation folder.' : '',
    setting.isRepeated ? 'One value per line.' : '',
    setting.isSecret ? 'Secret: write {{ secrets.NAME }}.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (setting.format === 'boolean' && kind === 'arg')
    return (
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name={name} defaultChecked={values[name] === 'on'} data-testid={id} />
        <code className="font-mono">{setting.key}</code>
        <span className="text-xs text-zinc-500">{hint}</span>
      </label>
    );
  return (
    <Field id={id} label={setting.key} optional={!setting.isRequired} hint={hint} errors={errorsFor(state, path)}>
      {setting.isRepeated ? (
        <Textarea
          name={name}
          defaultValue={values[name] ?? ''}
          placeholder={setting.placeholder}
          rows={2}
          className="font-mono text-xs"
          data-testid={id}
        />
      ) : (
        <Input
          name={name}
          defaultValue={values[name] ?? ''}
          placeholder={setting.placeholder || (setting.isSecret ? '{{ secrets.NAME }}' : '')}
          className="font-mono"
          data-testid={id}
        />
      )}
    </Field>
  );
}

export function InstallForm({
  slug,
  transport,
  defaultUrl,
  declared,
  command,
}: {
  slug: string;
  transport: 'stdio' | 'http';
  defaultUrl: string | null;
  declared: DeclaredSettings;
  /** stdio: the exact argv, shown before the first start so installing confirms what will run. */
  command: readonly string[];
}) {
  const [state, action] = useActionState(installFromCatalogAction.bind(null, slug), IDLE);
  const v = state.values ?? {};
  return (
    <form action={action} className="space-y-3" data-testid="install-form" noValidate>
      <FormAlert
        state={state}
        fields={['name', 'config.url', 'config.args', 'config.env', 'limits.timeoutMs', 'limits.ratePerSecond', 'limits.maxConcurrency']}
      />
      <Field id="install-name" label="Installation name" errors={errorsFor(state, 'name')}>
        <Input name="name" defaultValue={v.name ?? slug.replace(/^server-/, '')} className="font-mono" data-testid="install-name" />
      </Field>
      {transport === 'http' ? (
        <Field id="install-url" label="URL" optional={Boolean(defaultUrl)} errors={errorsFor(state, 'config.url')}>
          <Input name="url" defaultValue={v.url ?? ''} placeholder={defaultUrl ?? 'https://…/mcp'} data-testid="install-url" />
        </Field>
      ) : (
        <fieldset className="space-y-2" data-testid="install-declared">
          <legend className="mb-1 text-xs font-medium text-zinc-500">Settings this server declares</legend>
          {declared.problem && (
            <p role="alert" className="text-sm text-red-700">
              This catalog entry's declarations are invalid ({declared.problem}).
            </p>
          )}
          {declared.arguments.length + declared.env.length === 0 && !declared.problem && (
            <p className="text-xs text-zinc-500">None: it runs as the catalog entry says, with no arguments or variables of yours.</p>
          )}
          {declared.arguments.map((setting) => (
            <SettingField key={`arg-${setting.key}`} setting={setting} kind="arg" values={v} state={state} />
          ))}
          {declared.env.map((setting) => (
            <SettingField key={`env-${setting.key}`} setting={setting} kind="env" values={v} state={state} />
          ))}
        </fieldset>
      )}
      <fieldset className="grid grid-cols-3 gap-2">
        <legend className="mb-1 text-xs font-medium text-zinc-500">Limits (optional)</legend>
        <Field id="install-timeout" label="Timeout ms" optional errors={errorsFor(state, 'limits.timeoutMs')}>
          <Input name="timeoutMs" inputMode="numeric" defaultValue={v.timeoutMs ?? ''} data-testid="install-timeout" />
        </Field>
        <Field id="install-rate" label="Calls / s" optional errors={errorsFor(state, 'limits.ratePerSecond')}>
          <Input name="ratePerSecond" inputMode="decimal" defaultValue={v.ratePerSecond ?? ''} data-testid="install-rate" />
        </Field>
        <Field id="install-concurrency" label="Concurrency" optional errors={errorsFor(state, 'limits.maxConcurrency')}>
          <Input name="maxConcurrency" inputMode="numeric" defaultValue={v.maxConcurrency ?? ''} data-testid="install-concurrency" />
        </Field>
      </fieldset>
      {transport === 'stdio' && (
        <div className="space-y-1 rounded-md bg-zinc-50 p-2" data-testid="install-confirm-argv">
          <p className="text-xs text-zinc-600">Installing lets the worker start exactly this, plus the installation’s own arguments:</p>
          <ArgvChips argv={command} testId="install-argv" />
        </div>
      )}
      <SubmitButton pendingLabel="Installing…" data-testid="install-submit">
        Install in this team
      </SubmitButton>
    </form>
  );
}

export function CertifyButton({ slug }: { slug: string }) {
  const [state, action] = useActionState(certifyAction.bind(null, slug), { status: 'idle' } as CertifyState);
  return (
    <form action={action} className="flex items-center gap-3">
      <SubmitButton variant="accent" size="sm" pendingLabel="Evaluating…" data-testid="certify-button">
        Certify now
      </SubmitButton>
      {state.status === 'done' && state.reportId && (
        <Link href={`/catalog/reports/${state.reportId}`} className="text-sm text-indigo-700 hover:underline" data-testid="certify-result">
          {state.message} · report
        </Link>
      )}
      {state.status === 'error' && (
        <span role="alert" className="text-sm text-red-700">
          {state.message}
        </span>
      )}
    </form>
  );
}
