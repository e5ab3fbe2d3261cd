// The server catalog for a team: search with filters, detail, team-private entries, and import/export in
// the MCP registry's server.json format.
import {
  AppError,
  catalogEntryFromServerJson,
  catalogQuery,
  createServerBody,
  launchDeclarationsOf,
  parseOrThrow,
  serverJsonFromCatalogEntry,
  serverJsonSchema,
  SERVER_JSON_SCHEMA_URL,
  MANIFOLD_META_KEY,
  type CatalogEntry,
} from '@manifold/core';
import { createTeamServer, latestToolsOfServer, searchCatalog, type CatalogSearchRow } from '@manifold/db';
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
});

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

export function createCatalogService({ db }: ServiceDeps) {
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
      return {
        server,
        item: presentItem(summary ?? { ...server, tier: 'unverified', latestCertification: null }),
        tools,
        serverJson: serverJsonFromCatalogEntry(toEntry(server)),
      };
    },

    async create(ctx: ActingContext, raw: unknown) {
      authorize(ctx, 'servers:write');
      const body = parseOrThrow(createServerBody, raw);
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
      const row = await createTeamServer(db, ctx.teamId, ctx.actor, {
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
      });
      return presentItem({ ...row, tier: 'unverified', latestCertification: null });
    },

    /** Creates a team-private entry from a server.json document. */
    async importServerJson(ctx: ActingContext, raw: unknown) {
      authorize(ctx, 'servers:write');
      const json = parseOrThrow(serverJsonSchema, raw);
      const mapped = catalogEntryFromServerJson(json);
      if ('error' in mapped) throw new AppError('validation_failed', mapped.error.message, { fieldErrors: [mapped.error] });
      const row = await createTeamServer(db, ctx.teamId, ctx.actor, mapped.entry);
      return presentItem({ ...row, tier: 'unverified', latestCertification: null });
    },

    async exportServerJson(ctx: ActingContext, slug: string) {
      authorize(ctx, 'servers:read');
      return serverJsonFromCatalogEntry(toEntry(await requireCatalogServer(db, ctx.teamId, slug)));
    },
  };
}
