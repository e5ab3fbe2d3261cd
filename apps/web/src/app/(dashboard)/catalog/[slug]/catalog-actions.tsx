'use client';
// Client parts of the catalog detail page: install with configuration and limits, and "certify now".
import Link from 'next/link';
import { useActionState } from 'react';
import { ArgvChips } from '@/components/argv-chips';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { certifyAction, installFromCatalogAction, type CertifyState } from '../actions';

export function InstallForm({
  slug,
  transport,
  defaultUrl,
  command,
}: {
  slug: string;
  transport: 'stdio' | 'http';
  defaultUrl: string | null;
  /** stdio: the exact argv, shown before the first start so installing confirms what will run. */
  command: readonly string[];
}) {
  const [state, action] = useActionState(installFromCatalogAction.bind(null, slug), IDLE);
  const v = state.values ?? {};
  return (
    <form action={action} className="space-y-3" data-testid="install-form" noValidate>
      <FormAlert
        state={state}
        fields={['name', 'config.url', 'config.env', 'limits.timeoutMs', 'limits.ratePerSecond', 'limits.maxConcurrency']}
      />
      <Field id="install-name" label="Installation name" errors={errorsFor(state, 'name')}>
        <Input name="name" defaultValue={v.name ?? slug.replace(/^server-/, '')} className="font-mono" data-testid="install-name" />
      </Field>
      {transport === 'http' ? (
        <Field id="install-url" label="URL" optional={Boolean(defaultUrl)} errors={errorsFor(state, 'config.url')}>
          <Input name="url" defaultValue={v.url ?? ''} placeholder={defaultUrl ?? 'https://…/mcp'} data-testid="install-url" />
        </Field>
      ) : (
        <Field id="install-env" label="Environment (NAME=value per line, not secrets)" optional errors={errorsFor(state, 'config.env')}>
          <Textarea name="env" defaultValue={v.env ?? ''} rows={2} className="font-mono text-xs" />
        </Field>
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
