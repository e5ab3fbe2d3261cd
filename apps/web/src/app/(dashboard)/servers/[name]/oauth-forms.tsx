'use client';
// The forms of the OAuth card: settings (secret NAMES only), and Connect / Reconnect / Disconnect.
import { useActionState } from 'react';
import { FormAlert } from '@/components/form-alert';
import { errorsFor, IDLE } from '@/components/form-state';
import { SubmitButton } from '@/components/submit-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { OAuthStatusView } from '@manifold/services';
import { connectOAuthAction, disconnectOAuthAction, saveOAuthSettingsAction } from './oauth-actions';

export function OAuthConnectButtons({ name, connected }: { name: string; connected: boolean }) {
  const [connectState, connect] = useActionState(connectOAuthAction.bind(null, name), IDLE);
  const [disconnectState, disconnect] = useActionState(disconnectOAuthAction.bind(null, name), IDLE);
  return (
    <div className="space-y-2">
      <FormAlert state={connectState} fields={[]} data-testid="oauth-connect-error" />
      <FormAlert state={disconnectState} fields={[]} data-testid="oauth-disconnect-error" />
      <div className="flex gap-2">
        <form action={connect}>
          <SubmitButton pendingLabel="Redirecting…" data-testid="oauth-connect">
            {connected ? 'Reconnect' : 'Connect'}
          </SubmitButton>
        </form>
        {connected && (
          <form action={disconnect}>
            <SubmitButton variant="secondary" pendingLabel="Disconnecting…" data-testid="oauth-disconnect">
              Disconnect
            </SubmitButton>
          </form>
        )}
      </div>
    </div>
  );
}

const FIELDS = ['config.auth'];

export function OAuthSettingsForm({ name, status }: { name: string; status: OAuthStatusView }) {
  const [state, action] = useActionState(saveOAuthSettingsAction.bind(null, name), IDLE);
  const value = (key: string, fallback: string | null) => state.values?.[key] ?? fallback ?? '';
  return (
    <details className="rounded-md border border-zinc-200 px-3 py-2" open={!status.configured || state.status === 'error'}>
      <summary className="cursor-pointer text-xs font-medium text-zinc-600">Settings</summary>
      <form action={action} className="mt-2 space-y-2" data-testid="oauth-settings-form" noValidate>
        <FormAlert state={state} fields={FIELDS} data-testid="oauth-settings-error" />
        <Field id="oauth-grant" label="Grant">
          <select
            id="oauth-grant"
            name="grant"
            defaultValue={value('grant', status.grant ?? 'authorization_code')}
            className="w-full rounded-md border border-zinc-300 px-2 py-1.5 text-sm"
            data-testid="oauth-grant"
          >
            <option value="authorization_code">Authorization code (a user connects once)</option>
            <option value="client_credentials">Client credentials (machine to machine)</option>
          </select>
        </Field>
        <Field
          id="oauth-issuer"
          label="Issuer"
          hint="Empty: discovered from the server (RFC 9728)"
          errors={errorsFor(state, 'config.auth.issuer')}
        >
          <Input name="issuer" defaultValue={value('issuer', status.issuer)} className="font-mono" data-testid="oauth-issuer" />
        </Field>
        <Field id="oauth-client-id" label="Client id" errors={errorsFor(state, 'config.auth.clientId')}>
          <Input name="clientId" defaultValue={value('clientId', status.clientId)} className="font-mono" data-testid="oauth-client-id" />
        </Field>
        <Field
          id="oauth-client-secret"
          label="Client secret (secret name)"
          hint="The NAME of a team secret, e.g. CRM_CLIENT_SECRET"
          errors={errorsFor(state, 'config.auth.clientSecret')}
        >
          <Input
            name="clientSecret"
            defaultValue={value('clientSecret', status.clientSecret)}
            className="font-mono"
            data-testid="oauth-client-secret"
          />
        </Field>
        <Field id="oauth-scope" label="Scope" errors={errorsFor(state, 'config.auth.scope')}>
          <Input name="scope" defaultValue={value('scope', status.scope)} className="font-mono" data-testid="oauth-scope" />
        </Field>
        <Field id="oauth-resource" label="Resource" hint="Empty: the server URL" errors={errorsFor(state, 'config.auth.resource')}>
          <Input name="resource" defaultValue={state.values?.resource ?? ''} className="font-mono" data-testid="oauth-resource" />
        </Field>
        {state.status === 'success' && (
          <p role="status" className="text-xs text-emerald-700" data-testid="oauth-settings-saved">
            {state.message}
          </p>
        )}
        <SubmitButton variant="secondary" pendingLabel="Saving…" data-testid="oauth-settings-submit">
          Save OAuth settings
        </SubmitButton>
      </form>
    </details>
  );
}
