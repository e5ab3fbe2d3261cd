// Adding catalog servers to a team and listing their tools live.
import {
  AppError,
  assertValidSecretReferences,
  checkInstallationConfig,
  requireLaunchDeclarations,
  validationFailed,
  createInstallationBody,
  deleteInstallationQuery,
  parseOrThrow,
  toolsUsedBy,
  updateInstallationBody,
  type PinnedTool,
  type ToolChange,
} from '@manifold/core';
import {
  approvedToolSnapshot,
  createInstallation,
  deleteInstallation,
  deleteOAuthToken,
  findServerForTeam,
  listCatalog,
  listCurrentDefinitions,
  listInstallations,
  updateInstallationConfig,
} from '@manifold/db';
import type { InstallationConfig } from '@manifold/core';
import type { ActingContext, ServiceDeps } from './context';
import { authorize, isAllowed } from './authorize';
import { requireInstallation } from './lookups';

/**
 * A stdio server's arguments, env and network must be exactly what its catalog entry declares; checked on
 * every write (and again by the worker at launch), so a config that could not launch is never stored.
 */
function assertLaunchFits(server: { transport: string; metadata: unknown }, config: InstallationConfig) {
  if (server.transport !== 'stdio') {
    const stray = (['args', 'env', 'network'] as const).filter((field) => config[field] !== undefined && Object.keys(config[field]!).length);
    if (stray.length)
      throw new AppError('validation_failed', 'A remote server takes no arguments, environment or network settings.', {
        fieldErrors: stray.map((field) => ({ path: `config.${field}`, message: 'Only stdio servers have these; use config.headers.' })),
      });
    return;
  }
  const fieldErrors = checkInstallationConfig(requireLaunchDeclarations(server.metadata), config);
  if (fieldErrors.length)
    throw validationFailed(fieldErrors);
}

function assertBindingsFit(transport: string, config: InstallationConfig) {
  if (transport === 'stdio' && config.headers && Object.keys(config.headers).length)
    throw new AppError('validation_failed', 'A stdio server takes no HTTP headers.', {
      fieldErrors: [{ path: 'config.headers', message: 'Bind secrets to a stdio server through config.env.' }],
    });
  if (transport === 'stdio' && config.auth)
    throw new AppError('validation_failed', 'OAuth is for remote (http) servers.', {
      fieldErrors: [{ path: 'config.auth', message: 'A stdio server gets its credentials through config.env.' }],
    });
  // The OAuth access token owns the Authorization header; a second source would be ambiguous.
  if (config.auth && Object.keys(config.headers ?? {}).some((name) => name.toLowerCase() === 'authorization'))
    throw new AppError('validation_failed', 'An installation with OAuth cannot also set an Authorization header.', {
      fieldErrors: [
        { path: 'config.headers.Authorization', message: 'Remove it: the OAuth access token is sent as the Authorization header.' },
      ],
    });
}

export function createInstallationService({ db, temporal }: ServiceDeps) {
  /** Slugs of the live workflows whose current version calls installation `name`. */
  const workflowsUsing = async (teamId: string, name: string) =>
    (await listCurrentDefinitions(db, teamId))
      .filter(({ definition }) => toolsUsedBy(definition).some((use) => use.server === name))
      .map(({ slug }) => slug);

  return {
    listCatalog: async (ctx: ActingContext) => {
      authorize(ctx, 'servers:read');
      return listCatalog(db, ctx.teamId);
    },
    list: async (ctx: ActingContext) => {
      authorize(ctx, 'servers:read');
      return listInstallations(db, ctx.teamId);
    },

    async get(ctx: ActingContext, name: string) {
      authorize(ctx, 'servers:read');
      const installation = await requireInstallation(db, ctx.teamId, name);
      return installation;
    },

    async install(ctx: ActingContext, raw: unknown) {
      authorize(ctx, 'servers:write');
      const body = parseOrThrow(createInstallationBody, raw);
      const server = await findServerForTeam(db, ctx.teamId, body.server);
      if (!server)
        throw new AppError('validation_failed', `No catalog server "${body.server}".`, {
          fieldErrors: [{ path: 'server', message: 'Unknown catalog slug. GET /api/v1/servers lists them.' }],
        });
      if (server.transport === 'http' && !body.config.url && !server.url)
        throw new AppError('validation_failed', 'This remote server needs a URL.', {
          fieldErrors: [{ path: 'config.url', message: 'Required for this server.' }],
        });
      if (server.transport === 'stdio' && body.config.url)
        throw new AppError('validation_failed', 'A stdio server takes no URL.', {
          fieldErrors: [{ path: 'config.url', message: 'Only remote (http) servers have a URL.' }],
        });
      assertValidSecretReferences(body.config);
      assertBindingsFit(server.transport, body.config);
      assertLaunchFits(server, body.config);
      return createInstallation(db, ctx.teamId, ctx.actor, {
        serverId: server.id,
        name: body.name,
        config: body.config,
        limits: body.limits,
        // Pinning: only someone who may approve tools vouches for the first listing by installing.
        firstListingApprovedBy: isAllowed(ctx, 'tools:approve') ? `${ctx.actor.type}:${ctx.actor.id ?? ''}` : null,
      });
    },

    /** "Test connection": a fresh initialize + tools/list on the worker, with latency; nothing is stored. */
    async testConnection(ctx: ActingContext, name: string) {
      authorize(ctx, 'servers:read');
      const installation = await requireInstallation(db, ctx.teamId, name);
      return temporal.testConnection({ teamId: ctx.teamId, installationId: installation.id });
    },

    /** PATCH: each given config field (url, args, env, network, headers) replaces the stored one; bindings refer to secrets by name. */
    async update(ctx: ActingContext, name: string, raw: unknown) {
      authorize(ctx, 'servers:write');
      const installation = await requireInstallation(db, ctx.teamId, name);
      const body = parseOrThrow(updateInstallationBody, raw);
      const previous = (installation.config ?? {}) as InstallationConfig;
      const config = { ...previous, ...body.config };
      assertValidSecretReferences(config);
      assertBindingsFit(installation.server.transport, config);
      assertLaunchFits(installation.server, config);
      if (installation.server.transport === 'stdio' && config.url)
        throw new AppError('validation_failed', 'A stdio server takes no URL.', {
          fieldErrors: [{ path: 'config.url', message: 'Only remote (http) servers have a URL.' }],
        });
      const updated = await updateInstallationConfig(db, ctx.teamId, ctx.actor, installation.id, config);
      // Tokens were issued for the old settings (client, scope, resource): the next call gets new ones.
      if (JSON.stringify(previous.auth ?? null) !== JSON.stringify(config.auth ?? null) || previous.url !== config.url)
        await deleteOAuthToken(db, ctx.teamId, installation.id);
      return updated;
    },

    async usedBy(ctx: ActingContext, name: string): Promise<string[]> {
      authorize(ctx, 'workflows:read');
      return workflowsUsing(ctx.teamId, name);
    },

    /**
     * Refused (409) while a live workflow's current version calls it, unless forced (those workflows then
     * fail at that step until edited). Past runs keep their records.
     */
    async uninstall(ctx: ActingContext, name: string, rawQuery: unknown = {}): Promise<void> {
      authorize(ctx, 'servers:write');
      const installation = await requireInstallation(db, ctx.teamId, name);
      const forced = parseOrThrow(deleteInstallationQuery, rawQuery).force === 'true';
      const usedBy = await workflowsUsing(ctx.teamId, name);
      if (usedBy.length && !forced)
        throw new AppError(
          'conflict',
          `Server "${name}" is used by workflow ${usedBy.map((slug) => `"${slug}"`).join(', ')}; edit them first or remove it with ?force=true.`,
        );
      await deleteInstallation(db, ctx.teamId, ctx.actor, installation, { forced, usedBy });
    },

    /**
     * The installation's tools. Live (tools/list on the worker, where servers run; the listing is recorded for
     * pinning) needs servers:write, because it starts the server process; `servers:read` gets the approved
     * snapshot from the database and starts nothing. Without `live`, a caller who may list live does.
     */
    async listTools(ctx: ActingContext, name: string, options: { live?: boolean | undefined } = {}) {
      authorize(ctx, 'servers:read');
      const live = options.live ?? isAllowed(ctx, 'servers:write');
      if (live) authorize(ctx, 'servers:write');
      const installation = await requireInstallation(db, ctx.teamId, name);
      if (live) return { source: 'live' as const, ...(await temporal.listTools({ teamId: ctx.teamId, installationId: installation.id })) };
      const { approved, pending } = await approvedToolSnapshot(db, ctx.teamId, installation.id);
      const tools = ((approved?.tools ?? []) as unknown as Array<PinnedTool>).map(({ hash: _hash, ...tool }) => tool);
      return {
        source: 'stored' as const,
        tools,
        latencyMs: 0,
        listedAt: approved?.createdAt.toISOString() ?? null,
        ...(approved || pending
          ? {
              pinning: pending
                ? { status: 'pending' as const, changes: pending.changes as unknown as ToolChange[], snapshotId: pending.id }
                : { status: 'approved' as const, changes: [], snapshotId: approved!.id },
            }
          : {}),
      };
    },
  };
}
