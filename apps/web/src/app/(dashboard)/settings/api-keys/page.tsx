import type { Metadata } from 'next';
import { API_SCOPES } from '@manifold/services';
import { ActionForm } from '@/components/action-form';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { services } from '@/server/services';
import { forbiddenUnless, requireSession, sessionCan } from '@/server/session';
import { createApiKeyAction, revokeApiKeyAction } from '../actions';

export const metadata: Metadata = { title: 'API keys · Manifold' };

export default async function ApiKeysPage() {
  const session = await requireSession();
  forbiddenUnless(session, 'api_keys:read');
  const keys = await services().apiKeys.list(session.acting);
  const now = Date.now();
  const canWrite = sessionCan(session, 'api_keys:write');

  return (
    <>
      <PageHeader title="API keys" description="Keys authenticate the REST API (Authorization: Bearer …) for this team." />
      <div className="grid gap-6">
        <Card>
          <CardHeader>
            <div>
              <CardTitle>New key</CardTitle>
              <CardDescription>The full key is shown once, right after creation. Only a hash is stored.</CardDescription>
            </div>
          </CardHeader>
          <CardContent>
            <ActionForm action={createApiKeyAction} testId="create-api-key-form" className="space-y-3">
              <div className="flex flex-wrap gap-2">
                <Input
                  name="name"
                  placeholder="What is it for? e.g. CI"
                  className="max-w-xs"
                  data-testid="api-key-name"
                  aria-label="Key name"
                />
                <Input
                  name="expiresAt"
                  type="date"
                  className="max-w-[11rem]"
                  data-testid="api-key-expiry"
                  aria-label="Expires on (optional)"
                />
              </div>
              <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
                <legend className="mb-1 text-xs text-zinc-500">Scopes</legend>
                {API_SCOPES.map((scope) => (
                  <label key={scope} className="flex items-center gap-1.5">
                    <input
                      type="checkbox"
                      name="scopes"
                      value={scope}
                      defaultChecked={scope.endsWith(':read')}
                      data-testid={`scope-${scope}`}
                    />
                    <code className="font-mono text-xs">{scope}</code>
                  </label>
                ))}
              </fieldset>
              <Button type="submit" data-testid="create-api-key-submit">
                Create key
              </Button>
            </ActionForm>
          </CardContent>
        </Card>
        <Card>
          <Table data-testid="api-keys-table">
            <TableHead>
              <tr>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Prefix</TableHeaderCell>
                <TableHeaderCell>Scopes</TableHeaderCell>
                <TableHeaderCell>Last used</TableHeaderCell>
                <TableHeaderCell>Expires</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell />
              </tr>
            </TableHead>
            <TableBody>
              {keys.map((k) => {
                const isExpired = k.expiresAt !== null && Date.parse(k.expiresAt) <= now;
                return (
                  <TableRow key={k.id} data-testid={`api-key-${k.name}`}>
                    <TableCell>{k.name}</TableCell>
                    <TableCell>
                      <code className="font-mono text-xs">mfk_{k.prefix}_…</code>
                    </TableCell>
                    <TableCell className="text-xs">{k.scopes.join(', ')}</TableCell>
                    <TableCell>{k.lastUsedAt ? <LocalTime iso={k.lastUsedAt} /> : '—'}</TableCell>
                    <TableCell>{k.expiresAt ? <LocalTime iso={k.expiresAt} /> : 'never'}</TableCell>
                    <TableCell>
                      {k.revokedAt ? (
                        <Badge tone="red">revoked</Badge>
                      ) : isExpired ? (
                        <Badge>expired</Badge>
                      ) : (
                        <Badge tone="green">active</Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right">
                      {!k.revokedAt && canWrite && (
                        <ActionForm
                          action={revokeApiKeyAction.bind(null, k.id)}
                          testId={`revoke-api-key-${k.name}`}
                          confirm={`Revoke ${k.name}?`}
                        >
                          <Button type="submit" size="sm" variant="ghost">
                            Revoke
                          </Button>
                        </ActionForm>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>
      </div>
    </>
  );
}
