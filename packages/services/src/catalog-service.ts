// The server catalog for a team: search with filters, detail, team-private entries, and import/export in
// the MCP registry's server.json format.
import {
  AppError,
  catalogEntryFromServerJson,
  catalogQuery,
  checkServerCommand,
  createServerBody,
  launchDeclarationsOf,
  deleteServerQuery,
  parseOrThrow,
  updateServerBody,
  validationFailed,
  serverJsonFromCatalogEntry,
  serverJsonSchema,
  SERVER_JSON_SCHEMA_URL,
  MANIFOLD_META_KEY,
  type CatalogEntry,
  type FieldError,
} from '@manifold/core';
import {
  createTeamServer,
  deleteTeamServer,
  findTeamServer,
  latestToolsOfServer,
  listTeamServerVersions,
  searchCatalog,
  updateTeamServer,
  type CatalogSearchRow,
} from '@manifold/db';
import { authorize } from './authorize';
import type { ActingContext, ServiceDeps } from './context';
import { requireCatalogServer } from './lookups';

export interface CatalogItemView {
  slug: string;
  name: string;
  description: string;
  version: string;
  transport: 'stdio' | 'http';
  visibility: 'public' | 'team';
  tags: string[];
  repository: string | null;
  tier: CatalogSearchRow['tier'];
  /** stdio: the exact argv the worker starts (shown before the first start); null for http. */
  command: string[] | null;
  /** http: the endpoint; null for stdio. */
  url: string | null;
  /** Team entries: the current revision (each change of command, URL or declarations adds one); null for public. */
  revision: number | null;
}

export interface CatalogOptions {
  /** The operator's MANIFOLD_ALLOWED_COMMANDS: absolute programs team entries may run besides pinned npx/uvx. */
  allowedCommands?: readonly string[];
}

const presentItem = (s: CatalogSearchRow): CatalogItemView => ({
  slug: s.slug,
  name: s.name,
  description: s.description,
  version: s.version,
  transport: s.transport,
  visibility: s.teamId ? 'team' : 'public',
  tags: s.tags,
  repository: s.repository,
  tier: s.tier,
  command: s.transport === 'stdio' ? s.command : null,
  url: s.transport === 'http' ? s.url : null,
  revision: s.teamId ? s.revision : null,
});

type StoredServerJson = {
  packages?: Array<Record<string, unknown>>;
  remotes?: Array<Record<string, unknown>>;
  _meta?: Record<string, unknown>;
};

/** Keeps a team entry's server.json-shaped metadata in step with a change of command, URL or declared variables. */
function patchedMetadata(stored: unknown, change: { command?: string[]; url?: string; environmentVariables?: unknown[] }) {
  const json = structuredClone((stored ?? {}) as StoredServerJson);
  const manifold = (json._meta?.[MANIFOLD_META_KEY] ?? {}) as Record<string, unknown>;
  if (change.command) json._meta = { ...json._meta, [MANIFOLD_META_KEY]: { ...manifold, command: change.command } };
  if (change.url && json.remotes?.[0]) json.remotes[0] = { ...json.remotes[0], url: change.url };
  if (change.environmentVariables && json.packages?.[0])
    json.packages[0] = { ...json.packages[0], environmentVariables: change.environmentVariables };
  return json as Record<string, unknown>;
}

const toEntry = (row: Omit<CatalogEntry, 'metadata'> & { metadata: unknown }): CatalogEntry => ({
  slug: row.slug,
  name: row.name,
  description: row.description,
  version: row.version,
  transport: row.transport,
  command: row.command,
  url: row.url,
  repository: row.repository,
  tags: row.tags,
  metadata: (row.metadata ?? {}) as Record<string, unknown>,
});

export function createCatalogService({ db }: ServiceDeps, options: CatalogOptions = {}) {
  const allowedCommands = options.allowedCommands ?? [];
  /** Refuses a command the worker would not run; `pathOf` re-addresses `command[i]` for another document shape. */
  const assertCommandAllowed = (command: string[], pathOf: (path: string) => string = (path) => path) => {
    const errors: FieldError[] = checkServerCommand(command, allowedCommands).map((e) => ({ ...e, path: pathOf(e.path) }));
    if (errors.length) throw validationFailed(errors);
  };
  /** The team's own entry: public ones belong to the operator (403), unknown ones are 404. */
  const requireTeamEntry = async (ctx: ActingContext, slug: string) => {
    const own = await findTeamServer(db, ctx.teamId, slug);
    if (own) return own;
    await requireCatalogServer(db, ctx.teamId, slug);
    throw new AppError('forbidden', `"${slug}" is a public catalog entry: only the operator can change or delete it.`);
  };

  return {
    async list(ctx: ActingContext, rawQuery: unknown) {
      authorize(ctx, 'servers:read');
      const query = parseOrThrow(catalogQuery, rawQuery ?? {});
      return { items: (await searchCatalog(db, ctx.teamId, query)).map(presentItem) };
    },

    /** One entry with its tier, the tools of the newest live listing in this team, and its server.json. */
    async get(ctx: ActingContext, slug: string) {
      authorize(ctx, 'servers:read');
      const server = await requireCatalogServer(db, ctx.teamId, slug);
      const summary = (await searchCatalog(db, ctx.teamId, { q: server.slug })).find((s) => s.slug === server.slug);
      const tools = await latestToolsOfServer(db, ctx.teamId, server.id);
      const versions = server.teamId ? await listTeamServerVersions(db, ctx.teamId, server.id) : [];
      return {
        server,
        item: presentItem(summary ?? { ...server, tier: 'unverified', latestCertification: null }),
        tools,
        versions,
        serverJson: serverJsonFromCatalogEntry(toEntry(server)),
      };
    },

    /** Adds a team-private entry: owners/admins only, since its command is what the shared worker runs. */
    async create(ctx: ActingContext, raw: unknown) {
      authorize(ctx, 'servers:manage');
      const body = parseOrThrow(createServerBody, raw);
      if (body.transport === 'stdio') assertCommandAllowed(body.command);
      const meta = { [MANIFOLD_META_KEY]: { slug: body.slug, tags: body.tags, ...(body.license ? { license: body.license } : {}) } };
      const metadata =
        body.transport === 'http'
          ? { $schema: SERVER_JSON_SCHEMA_URL, remotes: [{ type: 'streamable-http', url: body.url }], _meta: meta }
          : {
              $schema: SERVER_JSON_SCHEMA_URL,
              packages: [
                {
                  registryType: 'npm',
                  identifier: body.command[0],
                  transport: { type: 'stdio' },
                  environmentVariables: body.environmentVariables,
                  packageArguments: body.packageArguments,
                },
              ],
              _meta: { ...meta, [MANIFOLD_META_KEY]: { ...meta[MANIFOLD_META_KEY], command: body.command } },
            };
      // Declarations that could never launch (a loader variable, a duplicate argument) are refused up front.
      const declared = launchDeclarationsOf(metadata);
      if ('error' in declared)
        throw new AppError('validation_failed', declared.error.message, {
          fieldErrors: [{ path: declared.error.path.replace(/^packages\[0\]\./, ''), message: declared.error.message }],
        });
      const row = await createTeamServer(
        db,
        ctx.teamId,
        ctx.actor,
        {
          slug: body.slug,
          name: body.name,
          description: body.description,
          version: body.version,
          transport: body.transport,
          command: body.transport === 'stdio' ? body.command : [],
          url: body.transport === 'http' ? body.url! : null,
          repository: body.repository ?? null,
          tags: body.tags,
          metadata,
        },
        ctx.ip,
      );
      return presentItem({ ...row, tier: 'unverified', latestCertification: null });
    },

    /** Creates a team-private entry from a server.json document. */
    async importServerJson(ctx: ActingContext, raw: unknown) {
      authorize(ctx, 'servers:manage');
      const json = parseOrThrow(serverJsonSchema, raw);
      const mapped = catalogEntryFromServerJson(json);
      if ('error' in mapped) throw new AppError('validation_failed', mapped.error.message, { fieldErrors: [mapped.error] });
      if (mapped.entry.transport === 'stdio') {
        // The argv comes from _meta's command, else it was derived from the first package (and its version).
        const stated = (json._meta?.[MANIFOLD_META_KEY] as { command?: unknown } | undefined)?.command;
        assertCommandAllowed(mapped.entry.command, (path) =>
          stated ? path.replace(/^command/, `_meta.${MANIFOLD_META_KEY}.command`) : 'packages[0]',
        );
      }
      const row = await createTeamServer(db, ctx.teamId, ctx.actor, mapped.entry, ctx.ip);
      return presentItem({ ...row, tier: 'unverified', latestCertification: null });
    },

    /**
     * Changes a team entry (owners/admins). A change of settings is a new revision that its installations then
     * run; the answer carries the new argv so the caller sees exactly what will start.
     */
    async update(ctx: ActingContext, slug: string, raw: unknown) {
      authorize(ctx, 'servers:manage');
      const body = parseOrThrow(updateServerBody, raw);
      if (Object.keys(body).length === 0) throw validationFailed([{ path: '', message: 'Send at least one field to change.' }]);
      const current = await requireTeamEntry(ctx, slug);
      if (current.transport === 'stdio' && body.url)
        throw validationFailed([{ path: 'url', message: 'This entry runs over stdio: change its command instead.' }]);
      if (current.transport === 'http' && (body.command || body.environmentVariables))
        throw validationFailed([
          { path: body.command ? 'command' : 'environmentVariables', message: 'This entry is a remote server: change its url instead.' },
        ]);
      if (body.command) assertCommandAllowed(body.command);
      const { server, changed, movedInstallations } = await updateTeamServer(
        db,
        ctx.teamId,
        ctx.actor,
        current.id,
        {
          name: body.name ?? current.name,
          description: body.description ?? current.description,
          version: body.version ?? current.version,
          transport: current.transport,
          command: body.command ?? current.command,
          url: body.url ?? current.url,
          repository: body.repository === undefined ? current.repository : body.repository,
          tags: body.tags ?? current.tags,
          metadata: patchedMetadata(current.metadata, body),
        },
        ctx.ip,
      );
      return { ...presentItem({ ...server, tier: 'unverified', latestCertification: null }), changed, installations: movedInstallations };
    },

    /** Deletes a team entry (owners/admins); 409 while installed unless ?force=true, which removes those too. */
    async remove(ctx: ActingContext, slug: string, rawQuery: unknown) {
      authorize(ctx, 'servers:manage');
      const query = parseOrThrow(deleteServerQuery, rawQuery ?? {});
      const server = await requireTeamEntry(ctx, slug);
      const { removedInstallations } = await deleteTeamServer(db, ctx.teamId, ctx.actor, server.id, {
        force: query.force === 'true',
        ip: ctx.ip ?? null,
      });
      return { slug, deleted: true, removedInstallations };
    },

    /** A team entry's revisions, newest first (the public catalog is versioned by its seed, not per team). */
    async versions(ctx: ActingContext, slug: string) {
      authorize(ctx, 'servers:read');
      const server = await requireCatalogServer(db, ctx.teamId, slug);
      return { items: server.teamId ? await listTeamServerVersions(db, ctx.teamId, server.id) : [] };
    },

    async exportServerJson(ctx: ActingContext, slug: string) {
      authorize(ctx, 'servers:read');
      return serverJsonFromCatalogEntry(toEntry(await requireCatalogServer(db, ctx.teamId, slug)));
    },
  };
}
