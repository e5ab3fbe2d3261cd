import type { Metadata } from 'next';
import { ArgvChips } from '@/components/argv-chips';
import { JsonView } from '@/components/json-view';
import { LocalTime } from '@/components/local-time';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { orNotFound } from '@/server/app-error';
import { services } from '@/server/services';
import { requireSession, sessionCan } from '@/server/session';
import { parseTools } from '../tools';
import { BindSecretForm } from './bind-secret-form';
import { TestConnectionButton } from './test-connection-button';
import { ToolChangesPanel } from './tool-changes-panel';
import { ToolsPanel } from './tools-panel';
import { CallLimitsCard } from './call-limits-card';
import { OAuthPanel } from './oauth-panel';
import { RemoveServerCard } from './remove-server-card';
import { EntryHistoryCard } from './entry-history-card';
import { SandboxCard } from './sandbox-card';
import { launchDeclarationsOf, sandboxPolicyView, type InstallationConfig, type SandboxPolicyView } from '@manifold/core';
import { webConfig } from '@/server/config';

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).name)} · Servers · Manifold` };
}

export default async function ServerPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const name = decodeURIComponent((await params).name);
  const session = await requireSession();
  const { acting } = session;
  const query = await searchParams;
  const installation = await orNotFound(services().installations.get(acting, name));
  const snapshot = installation.toolsSnapshot === null ? null : parseTools(installation.toolsSnapshot);
  const { server } = installation;
  const canWrite = sessionCan(session, 'servers:write');
  // Independent reads once the installation is known to exist.
  const [limitsStatus, pinning, oauth, usedBy, revisions] = await Promise.all([
    services().installationLimits.status(acting, name),
    services().toolPinning.snapshots(acting, name),
    server.transport === 'http' ? services().oauth.status(acting, name) : null,
    canWrite ? services().installations.usedBy(acting, name) : [],
    server.teamId
      ? services()
          .catalog.versions(acting, server.slug)
          .then((v) => v.items)
      : [],
  ]);

  const sandbox = server.transport === 'stdio' ? sandboxOf(server.metadata, installation.config) : null;

  return (
    <>
      <PageHeader
        back={{ href: '/servers', label: 'Servers' }}
        title={
          <span className="font-mono" data-testid="installation-name">
            {installation.name}
          </span>
        }
        description={
          <>
            {server.name} <span className="font-mono text-xs text-zinc-400">({server.slug})</span>
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="min-w-0 space-y-6 lg:order-1">
          <ToolsPanel name={installation.name} snapshot={snapshot} snapshotAt={installation.toolsSnapshotAt?.toISOString() ?? null} />
          <ToolChangesPanel name={installation.name} pending={pinning.pending} snapshots={pinning.snapshots} />
          {oauth && (
            <OAuthPanel
              name={installation.name}
              status={oauth}
              canWrite={canWrite}
              notice={{ connected: query.oauth === 'connected', error: typeof query.oauth_error === 'string' ? query.oauth_error : null }}
            />
          )}
          <CallLimitsCard status={limitsStatus} />
        </div>
        <div className="space-y-6 lg:order-2">
          <Card className="h-fit" data-testid="installation-details">
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="space-y-3 text-sm">
                <Detail label="Transport">
                  <Badge tone={server.transport === 'http' ? 'indigo' : 'neutral'}>{server.transport}</Badge>
                </Detail>
                {server.transport === 'stdio' ? (
                  <Detail label="Command">
                    <ArgvChips argv={server.command} className="mt-1" testId="installation-argv" />
                  </Detail>
                ) : (
                  <Detail label="Endpoint">
                    <code className="font-mono text-xs break-all">{configUrl(installation.config) ?? server.url ?? '—'}</code>
                  </Detail>
                )}
                <Detail label="Version">
                  {server.version}
                  {server.teamId && installation.serverRevision !== null && (
                    <span className="ml-2 text-xs text-zinc-500" data-testid="installation-revision">
                      team entry revision {installation.serverRevision}
                    </span>
                  )}
                </Detail>
                <Detail label="Installed">
                  <LocalTime iso={installation.createdAt.toISOString()} />
                </Detail>
                <Detail label="Settings">
                  <JsonView value={installation.config} className="mt-1 max-h-48" />
                </Detail>
                <Detail label="Limits">
                  <JsonView value={installation.limits} className="mt-1 max-h-32" data-testid="installation-limits" />
                </Detail>
                <Detail label="Connection">
                  <TestConnectionButton name={installation.name} />
                </Detail>
              </dl>
              <div className="mt-4 border-t border-zinc-100 pt-4">
                <BindSecretForm name={installation.name} transport={server.transport} />
              </div>
            </CardContent>
          </Card>
          {sandbox && <SandboxCard policy={sandbox} />}
          {revisions.length > 0 && <EntryHistoryCard revisions={revisions} running={installation.serverRevision} />}
          {canWrite && <RemoveServerCard name={installation.name} usedBy={usedBy} />}
        </div>
      </div>
    </>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-zinc-900">{children}</dd>
    </div>
  );
}

const configUrl = (config: unknown) =>
  typeof config === 'object' && config !== null && 'url' in config && typeof config.url === 'string' ? config.url : null;

/** The policy the worker applies (same declarations, same settings); null when the entry's declarations do not parse. */
function sandboxOf(metadata: unknown, config: unknown): SandboxPolicyView | null {
  const declared = launchDeclarationsOf(metadata);
  return 'error' in declared ? null : sandboxPolicyView(declared.declarations, (config ?? {}) as InstallationConfig, webConfig().sandbox);
}
