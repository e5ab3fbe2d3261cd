import type { Metadata } from 'next';
import Link from 'next/link';
import { JsonView } from '@/components/json-view';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { orNotFound } from '@/server/app-error';
import { services } from '@/server/services';
import { requireSession } from '@/server/session';
import { ToolList } from '../../servers/tool-list';
import { parseTools } from '../../servers/tools';
import { TierBadge } from '../tier-badge';
import { CertifyButton, InstallForm } from './catalog-actions';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).slug)} · Catalog · Manifold` };
}

export default async function CatalogServerPage({ params }: { params: Promise<{ slug: string }> }) {
  const slug = decodeURIComponent((await params).slug);
  const { acting } = await requireSession();
  // Both answer not_found for an unknown slug: either way the page is a 404.
  const [{ server, item, tools, serverJson }, { items: history }] = await Promise.all([
    orNotFound(services().catalog.get(acting, slug)),
    orNotFound(services().certification.history(acting, slug)),
  ]);
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
              <InstallForm slug={slug} transport={server.transport} defaultUrl={server.url} />
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
                  <dt className="text-xs text-zinc-500">{server.transport === 'http' ? 'Endpoint' : 'Command'}</dt>
                  <dd className="font-mono text-xs break-all">{server.transport === 'http' ? server.url : server.command.join(' ')}</dd>
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
        </div>
      </div>
    </>
  );
}
