import type { Metadata } from 'next';
import Link from 'next/link';
import { ArgvChips } from '@/components/argv-chips';
import { JsonView } from '@/components/json-view';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { orNotFound } from '@/server/app-error';
import { services } from '@/server/services';
import { requireSession, sessionCan } from '@/server/session';
import { ToolList } from '../../servers/tool-list';
import { parseTools } from '../../servers/tools';
import { TierBadge } from '../tier-badge';
import { CertifyButton, InstallForm, type DeclaredSettings } from './catalog-actions';
import { argumentKey, launchDeclarationsOf } from '@manifold/core';
import { DeleteEntryForm } from '../../servers/delete-entry-form';
import { EntryHistoryCard } from '../../servers/[name]/entry-history-card';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).slug)} · Catalog · Manifold` };
}

export default async function CatalogServerPage({ params }: { params: Promise<{ slug: string }> }) {
  const slug = decodeURIComponent((await params).slug);
  const session = await requireSession();
  const { acting } = session;
  // Both answer not_found for an unknown slug: either way the page is a 404.
  const [{ server, item, tools, serverJson, versions: revisions }, { items: history }, installations] = await Promise.all([
    orNotFound(services().catalog.get(acting, slug)),
    orNotFound(services().certification.history(acting, slug)),
    services().installations.list(acting),
  ]);
  const installedAs = installations.filter((i) => i.serverId === server.id).map((i) => i.name);
  const canManageEntry = Boolean(server.teamId) && sessionCan(session, 'servers:manage');
  const versions = [...new Set([server.version, ...history.map((h) => h.serverVersion)])];

  return (
    <>
      <PageHeader
        back={{ href: '/catalog', label: 'Catalog' }}
        title={<span data-testid="catalog-server-name">{server.name}</span>}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">{server.slug}</span> <TierBadge tier={item.tier} />
            <Badge tone={server.transport === 'http' ? 'indigo' : 'neutral'}>{server.transport}</Badge>
          </span>
        }
        actions={<CertifyButton slug={slug} />}
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <Card>
            <CardHeader>
              <div>
                <CardTitle>Certification</CardTitle>
                <CardDescription>
                  Every evaluation is kept. The newest system evaluation (the catalog’s own configuration) sets the tier;
                  your team’s own runs are private reports that change no one’s tier.
                </CardDescription>
              </div>
            </CardHeader>
            {history.length ? (
              <Table data-testid="certification-history">
                <TableHead>
                  <tr>
                    <TableHeaderCell>When</TableHeaderCell>
                    <TableHeaderCell>Version</TableHeaderCell>
                    <TableHeaderCell>Tier</TableHeaderCell>
                    <TableHeaderCell>Rel · Perf · Sec · Conf</TableHeaderCell>
                    <TableHeaderCell>Trigger</TableHeaderCell>
                    <TableHeaderCell>By</TableHeaderCell>
                  </tr>
                </TableHead>
                <TableBody>
                  {history.map((c) => (
                    <TableRow key={c.id} data-testid="certification-row">
                      <TableCell>
                        <Link href={`/catalog/reports/${c.id}`} className="text-indigo-700 hover:underline">
                          <LocalTime iso={c.finishedAt} />
                        </Link>
                      </TableCell>
                      <TableCell className="font-mono text-xs">{c.serverVersion}</TableCell>
                      <TableCell>
                        <TierBadge tier={c.tier} />
                      </TableCell>
                      <TableCell className="font-mono text-xs">
                        {c.scores.reliability} · {c.scores.performance} · {c.scores.security} · {c.scores.conformance}
                      </TableCell>
                      <TableCell className="text-xs">{c.trigger}</TableCell>
                      <TableCell className="text-xs" data-testid="certification-scope">
                        {c.scope === 'system' ? 'system' : 'your team (private report)'}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : (
              <CardContent>
                <p className="text-sm text-zinc-500">Never evaluated: this server is unverified. Press “Certify now”.</p>
              </CardContent>
            )}
          </Card>
          <Card>
            <CardHeader>
              <div>
                <CardTitle>Tools</CardTitle>
                <CardDescription>
                  {tools ? (
                    <>
                      From the live listing of installation <span className="font-mono">{tools.installation}</span>
                      {tools.listedAt && (
                        <>
                          {' '}
                          at <LocalTime iso={tools.listedAt.toISOString()} />
                        </>
                      )}
                    </>
                  ) : (
                    'Install the server and list its tools to see them here.'
                  )}
                </CardDescription>
              </div>
            </CardHeader>
            {tools && <ToolList tools={parseTools(tools.tools)} data-testid="catalog-tools" />}
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>server.json</CardTitle>
            </CardHeader>
            <CardContent>
              <JsonView value={serverJson} data-testid="server-json" />
            </CardContent>
          </Card>
        </div>
        <div className="space-y-6">
          <Card>
            <CardHeader>
              <CardTitle>Install</CardTitle>
            </CardHeader>
            <CardContent>
              <InstallForm
                slug={slug}
                transport={server.transport}
                defaultUrl={server.url}
                declared={declaredSettings(server.metadata)}
                command={server.command}
              />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="space-y-2 text-sm">
                <div>
                  <dt className="text-xs text-zinc-500">Versions</dt>
                  <dd className="font-mono text-xs" data-testid="catalog-versions">
                    {versions.join(', ')}
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-zinc-500">{server.transport === 'http' ? 'Endpoint' : 'Command (exact argv)'}</dt>
                  <dd className="mt-1 font-mono text-xs break-all">
                    {server.transport === 'http' ? server.url : <ArgvChips argv={server.command} testId="catalog-argv" />}
                  </dd>
                </div>
                {server.repository && (
                  <div>
                    <dt className="text-xs text-zinc-500">Repository</dt>
                    <dd className="text-xs break-all">{server.repository}</dd>
                  </div>
                )}
                <div>
                  <dt className="text-xs text-zinc-500">Description</dt>
                  <dd className="text-zinc-700">{server.description}</dd>
                </div>
              </dl>
            </CardContent>
          </Card>
          {revisions.length > 0 && <EntryHistoryCard revisions={revisions} running={null} />}
          {canManageEntry && (
            <Card className="border-red-100" data-testid="delete-entry">
              <CardHeader>
                <div>
                  <CardTitle>Delete team entry</CardTitle>
                  <CardDescription>Its revisions and certifications go with it; past runs keep their records.</CardDescription>
                </div>
              </CardHeader>
              <CardContent>
                <DeleteEntryForm slug={server.slug} installedAs={installedAs} />
              </CardContent>
            </Card>
          )}
        </div>
      </div>
    </>
  );
}

/** What an installation of this entry may set (and what the entry fixes), for the install form. */
function declaredSettings(metadata: unknown): DeclaredSettings {
  const read = launchDeclarationsOf(metadata);
  if ('error' in read) return { arguments: [], env: [], problem: `${read.error.path}: ${read.error.message}` };
  const { arguments: args, environmentVariables } = read.declarations;
  return {
    arguments: args
      .filter((a) => argumentKey(a))
      .map((a) => ({
        key: argumentKey(a),
        format: a.format ?? 'string',
        description: a.description ?? '',
        isRequired: Boolean(a.isRequired),
        isRepeated: Boolean(a.isRepeated),
        isSecret: Boolean(a.isSecret),
        fixed: a.value ?? null,
        placeholder: a.default ?? '',
      })),
    env: environmentVariables.map((v) => ({
      key: v.name,
      format: v.format ?? 'string',
      description: v.description ?? '',
      isRequired: Boolean(v.isRequired),
      isRepeated: false,
      isSecret: Boolean(v.isSecret),
      fixed: v.value ?? null,
      placeholder: v.default ?? '',
    })),
    problem: null,
  };
}
