import type { Metadata } from 'next';
import Link from 'next/link';
import { ArgvChips } from '@/components/argv-chips';
import { EmptyState } from '@/components/empty-state';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { services } from '@/server/services';
import { requireSession, sessionCan } from '@/server/session';
import { AddServerForm } from './add-server-form';
import { DeleteEntryForm } from './delete-entry-form';

export const metadata: Metadata = { title: 'Servers · Manifold' };

/** Catalog descriptions mark commands with `backticks`. */
function InlineCode({ text }: { text: string }) {
  return text.split('`').map((part, index) =>
    index % 2 === 1 ? (
      <code key={index} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[12px] text-zinc-800">
        {part}
      </code>
    ) : (
      part
    ),
  );
}

/** "server-everything" → "everything": the name workflows will use. */
const defaultInstallationName = (slug: string) => slug.replace(/^server-/, '');

export default async function ServersPage() {
  const session = await requireSession();
  const { acting } = session;
  const canInstall = sessionCan(session, 'servers:write');
  const canManage = sessionCan(session, 'servers:manage');
  const [installations, catalog] = await Promise.all([services().installations.list(acting), services().installations.listCatalog(acting)]);

  return (
    <>
      <PageHeader title="Servers" description="MCP servers installed in this team. Workflow steps call their tools by installation name." />

      <Card className="mb-10">
        <CardHeader>
          <div>
            <CardTitle>Installed</CardTitle>
            <CardDescription>{installations.length === 1 ? '1 installation' : `${installations.length} installations`}</CardDescription>
          </div>
        </CardHeader>
        {installations.length === 0 ? (
          <EmptyState title="No servers installed yet" data-testid="installations-empty">
            Add one from the catalog below — “Everything” is a good first choice.
          </EmptyState>
        ) : (
          <Table data-testid="installations-table">
            <TableHead>
              <tr>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Catalog server</TableHeaderCell>
                <TableHeaderCell>Transport</TableHeaderCell>
                <TableHeaderCell className="text-right">Tools</TableHeaderCell>
                <TableHeaderCell>Tools listed</TableHeaderCell>
              </tr>
            </TableHead>
            <TableBody>
              {installations.map((i) => (
                <TableRow key={i.id} data-testid="installation-row" data-name={i.name}>
                  <TableCell>
                    <Link
                      href={`/servers/${encodeURIComponent(i.name)}`}
                      className="font-mono font-medium text-zinc-900 hover:text-indigo-600"
                    >
                      {i.name}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <span className="text-zinc-900">{i.server.name}</span>
                    <span className="ml-2 font-mono text-xs text-zinc-400">{i.server.slug}</span>
                  </TableCell>
                  <TableCell>
                    <Badge tone={i.server.transport === 'http' ? 'indigo' : 'neutral'}>{i.server.transport}</Badge>
                  </TableCell>
                  <TableCell className="text-right tabular-nums" data-testid="installation-tool-count">
                    {Array.isArray(i.toolsSnapshot) ? i.toolsSnapshot.length : '—'}
                  </TableCell>
                  <TableCell className="text-zinc-500">
                    {i.toolsSnapshotAt ? <LocalTime iso={i.toolsSnapshotAt.toISOString()} /> : 'never'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>

      <div className="mb-4">
        <h2 className="text-lg font-semibold tracking-tight text-zinc-900">Catalog</h2>
        <p className="text-sm text-zinc-500">Servers you can add to this team. Each installation gets its own name and settings.</p>
      </div>
      <div className="grid grid-cols-1 items-start gap-4 md:grid-cols-2" data-testid="catalog">
        {catalog.map((entry) => {
          const installedAs = installations.filter((i) => i.serverId === entry.id).map((i) => i.name);
          return (
            <Card key={entry.id} className="flex flex-col" data-testid={`catalog-entry-${entry.slug}`}>
              <CardHeader className="border-b-0 pb-2">
                <div className="min-w-0">
                  <CardTitle>{entry.name}</CardTitle>
                  <p className="mt-0.5 font-mono text-xs text-zinc-400">
                    {entry.slug} · v{entry.version}
                  </p>
                </div>
                <div className="flex gap-1.5">
                  <Badge tone={entry.transport === 'http' ? 'indigo' : 'neutral'}>{entry.transport}</Badge>
                  {entry.teamId && <Badge tone="amber">team</Badge>}
                </div>
              </CardHeader>
              <CardContent className="flex flex-1 flex-col gap-4 pt-0">
                <p className="text-sm text-zinc-600">
                  <InlineCode text={entry.description} />
                </p>
                {installedAs.length > 0 && (
                  <p className="text-xs text-emerald-700">
                    Installed as{' '}
                    {installedAs.map((n, index) => (
                      <span key={n}>
                        {index > 0 && ', '}
                        <Link href={`/servers/${encodeURIComponent(n)}`} className="font-mono underline-offset-2 hover:underline">
                          {n}
                        </Link>
                      </span>
                    ))}
                  </p>
                )}
                {canInstall && (
                  <div className="border-t border-zinc-100 pt-4">
                    <AddServerForm
                      slug={entry.slug}
                      defaultName={defaultInstallationName(entry.slug)}
                      transport={entry.transport}
                      defaultUrl={entry.url}
                      command={entry.command}
                    />
                  </div>
                )}
                {!canInstall && entry.transport === 'stdio' && <ArgvChips argv={entry.command} testId={`catalog-argv-${entry.slug}`} />}
                {canManage && entry.teamId && (
                  <div className="flex items-center justify-between gap-2 border-t border-zinc-100 pt-3">
                    <span className="text-xs text-zinc-500">Team entry · revision {entry.revision}</span>
                    <DeleteEntryForm slug={entry.slug} installedAs={installedAs} />
                  </div>
                )}
              </CardContent>
            </Card>
          );
        })}
      </div>
    </>
  );
}
