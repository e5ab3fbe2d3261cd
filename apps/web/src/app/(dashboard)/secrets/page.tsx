import type { Metadata } from 'next';
import { EmptyState } from '@/components/empty-state';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';
import { CreateSecretForm, DeleteSecretForm, NewVersionForm } from './secret-forms';

export const metadata: Metadata = { title: 'Secrets · Manifold' };

export default async function SecretsPage() {
  const { acting } = await requireSession();
  const secrets = await services().secrets.list(acting);
  return (
    <>
      <PageHeader
        title="Secrets"
        description={
          <>
            Encrypted per team and write-only. Bind them to a server as <code className="font-mono text-xs">{'{{ secrets.NAME }}'}</code> in
            an env value or HTTP header; the worker decrypts them only at the moment of a call.
          </>
        }
      />
      <Card className="mb-8">
        <CardHeader>
          <CardTitle>New secret</CardTitle>
        </CardHeader>
        <CardContent>
          <CreateSecretForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Team secrets</CardTitle>
            <CardDescription>{secrets.length === 1 ? '1 secret' : `${secrets.length} secrets`}</CardDescription>
          </div>
        </CardHeader>
        {secrets.length === 0 ? (
          <EmptyState title="No secrets yet" data-testid="secrets-empty">
            Add an API token above, then bind it to a server on the server’s page.
          </EmptyState>
        ) : (
          <Table data-testid="secrets-table">
            <TableHead>
              <tr>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Version</TableHeaderCell>
                <TableHeaderCell>Fingerprint</TableHeaderCell>
                <TableHeaderCell>Used by</TableHeaderCell>
                <TableHeaderCell>Updated</TableHeaderCell>
                <TableHeaderCell>New version</TableHeaderCell>
                <TableHeaderCell />
              </tr>
            </TableHead>
            <TableBody>
              {secrets.map((s) => (
                <TableRow key={s.id} data-testid="secret-row" data-name={s.name}>
                  <TableCell>
                    <span className="font-mono font-medium text-zinc-900">{s.name}</span>
                    {s.description && <p className="text-xs text-zinc-500">{s.description}</p>}
                  </TableCell>
                  <TableCell className="tabular-nums" data-testid="secret-version">
                    v{s.version}
                  </TableCell>
                  <TableCell>
                    <code className="font-mono text-xs text-zinc-500" title="A keyed hash: tells versions apart, reveals nothing">
                      {s.fingerprint}
                    </code>
                  </TableCell>
                  <TableCell className="font-mono text-xs" data-testid="secret-used-by">
                    {s.usedBy.length ? s.usedBy.join(', ') : '—'}
                  </TableCell>
                  <TableCell className="text-xs text-zinc-500">
                    <LocalTime iso={s.updatedAt.toISOString()} />
                    <p>by {s.updatedBy}</p>
                  </TableCell>
                  <TableCell>
                    <NewVersionForm name={s.name} />
                  </TableCell>
                  <TableCell>
                    <DeleteSecretForm name={s.name} inUse={s.usedBy.length > 0} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}
