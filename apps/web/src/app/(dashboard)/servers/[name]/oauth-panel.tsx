// The OAuth card of a remote installation: status (connected, token expiry, last refresh, last error — never
// a token), the settings form, and Connect / Reconnect / Disconnect for the authorization-code grant.
import { LocalTime } from '@/components/local-time';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { OAuthStatusView } from '@manifold/services';
import { OAuthConnectButtons, OAuthSettingsForm } from './oauth-forms';

export function OAuthPanel({
  name,
  status,
  canWrite,
  notice,
}: {
  name: string;
  status: OAuthStatusView;
  canWrite: boolean;
  notice: { connected: boolean; error: string | null };
}) {
  const isCode = status.grant === 'authorization_code';
  return (
    <Card className="h-fit" data-testid="oauth-panel">
      <CardHeader>
        <CardTitle>OAuth</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4 text-sm">
        {notice.connected && !notice.error && (
          <p role="status" className="text-xs text-emerald-700" data-testid="oauth-connected-notice">
            Connected: the refresh token is stored as a team secret.
          </p>
        )}
        {notice.error && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800" data-testid="oauth-callback-error">
            {notice.error}
          </p>
        )}
        {status.configured ? (
          <dl className="grid grid-cols-2 gap-3">
            <div>
              <dt className="text-xs font-medium text-zinc-500">Status</dt>
              <dd className="mt-0.5" data-testid="oauth-status">
                {status.lastError ? (
                  <Badge tone="red">needs reconnect</Badge>
                ) : status.connected ? (
                  <Badge tone="green">Connected</Badge>
                ) : (
                  <Badge tone="amber">not connected</Badge>
                )}
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-zinc-500">Grant</dt>
              <dd className="mt-0.5 font-mono text-xs">{status.grant}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-zinc-500">Access token expires</dt>
              <dd className="mt-0.5" data-testid="oauth-expires">
                {status.accessToken?.expiresAt ? <LocalTime iso={status.accessToken.expiresAt} /> : '—'}
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-zinc-500">Last refreshed</dt>
              <dd className="mt-0.5">{status.accessToken?.refreshedAt ? <LocalTime iso={status.accessToken.refreshedAt} /> : '—'}</dd>
            </div>
            <div className="col-span-2">
              <dt className="text-xs font-medium text-zinc-500">Tokens bound to (resource)</dt>
              <dd className="mt-0.5 font-mono text-xs break-all">{status.resource}</dd>
            </div>
            {status.lastError && (
              <div className="col-span-2">
                <dt className="text-xs font-medium text-zinc-500">Last error</dt>
                <dd className="mt-0.5 text-red-700" data-testid="oauth-last-error">
                  {status.lastError}
                </dd>
              </div>
            )}
          </dl>
        ) : (
          <p className="text-zinc-500">This server does not use OAuth. Set it up below if its authorization server issues tokens for it.</p>
        )}
        {canWrite && isCode && <OAuthConnectButtons name={name} connected={status.connected && !status.lastError} />}
        {canWrite && <OAuthSettingsForm name={name} status={status} />}
      </CardContent>
    </Card>
  );
}
