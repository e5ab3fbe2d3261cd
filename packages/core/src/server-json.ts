// Catalog entries in the official MCP registry's server.json shape (import/export), the REST contracts of
// the catalog, and the mapping between server.json and Manifold's catalog entry.
import { z } from 'zod';
import {
  advisorySchema,
  environmentVariableSchema,
  launchDeclarationsOf,
  launchNetworkSchema,
  MANIFOLD_META_KEY,
  packageArgumentSchema,
} from './launch-declarations';

export { MANIFOLD_META_KEY };
export const SERVER_JSON_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

export const TIERS = ['unverified', 'community', 'verified', 'certified'] as const;
export type Tier = (typeof TIERS)[number];

export const catalogSlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Use 1–63 lowercase letters, digits or "-", starting with a letter or digit.');

const keyValueInput = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    isSecret: z.boolean().optional(),
    isRequired: z.boolean().optional(),
    default: z.string().max(8192).optional(),
  })
  .loose();

const serverJsonPackage = z
  .object({
    registryType: z.string().min(1).max(100),
    identifier: z.string().min(1).max(500),
    version: z.string().max(100).optional(),
    runtimeHint: z.string().max(100).optional(),
    transport: z.object({ type: z.string().max(100) }).loose().optional(),
    environmentVariables: z.array(environmentVariableSchema).max(100).optional(),
    packageArguments: z.array(packageArgumentSchema).max(50).optional(),
  })
  .loose();

const serverJsonRemote = z
  .object({
    type: z.enum(['streamable-http', 'sse']),
    url: z.url({ protocol: /^https?$/ }),
    headers: z.array(keyValueInput).optional(),
  })
  .loose();

const manifoldMeta = z
  .object({
    slug: catalogSlugSchema.optional(),
    tags: z.array(z.string().min(1).max(40)).max(20).optional(),
    /** stdio: program and arguments (the registry's package entry does not say which binary to run). */
    command: z.array(z.string().min(1).max(4096)).min(1).max(50).optional(),
    network: launchNetworkSchema.optional(),
    advisories: z.array(advisorySchema).max(50).optional(),
  })
  .loose();

/** server.json as published to the MCP registry (the fields Manifold uses; unknown fields are kept in metadata). */
export const serverJsonSchema = z
  .object({
    $schema: z.string().max(500).optional(),
    name: z.string().regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/, 'Use the registry\'s reverse-DNS form, e.g. "io.github.owner/server".'),
    title: z.string().max(200).optional(),
    description: z.string().min(1).max(2000),
    version: z.string().min(1).max(100),
    repository: z.object({ url: z.url().max(2000), source: z.string().max(100).optional() }).loose().optional(),
    websiteUrl: z.url().optional(),
    packages: z.array(serverJsonPackage).optional(),
    remotes: z.array(serverJsonRemote).optional(),
    _meta: z.record(z.string(), z.unknown()).optional(),
  })
  .loose()
  .refine((s) => (s.packages?.length ?? 0) + (s.remotes?.length ?? 0) > 0, {
    message: 'A server needs at least one entry in `packages` (stdio) or `remotes` (Streamable HTTP).',
    path: ['packages'],
  });
export type ServerJson = z.infer<typeof serverJsonSchema>;

/** The catalog entry fields (as stored), independent of the database. */
export interface CatalogEntry {
  slug: string;
  name: string;
  description: string;
  version: string;
  transport: 'stdio' | 'http';
  command: string[];
  url: string | null;
  repository: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
}

/** Maps an imported server.json to a catalog entry; problems are addressed by path for problem+json. */
export function catalogEntryFromServerJson(json: ServerJson): { entry: CatalogEntry } | { error: { path: string; message: string } } {
  const meta = manifoldMeta.safeParse(json._meta?.[MANIFOLD_META_KEY] ?? {});
  if (!meta.success) return { error: { path: `_meta.${MANIFOLD_META_KEY}`, message: meta.error.issues[0]?.message ?? 'Invalid.' } };
  const slug = meta.data.slug ?? slugFromName(json.name);
  const common = {
    slug,
    name: json.title ?? json.name.split('/')[1]!,
    description: json.description,
    version: json.version,
    repository: json.repository?.url ?? null,
    tags: meta.data.tags ?? [],
    metadata: json as Record<string, unknown>,
  };
  const remote = json.remotes?.find((r) => r.type === 'streamable-http');
  if (remote) return { entry: { ...common, transport: 'http', command: [], url: remote.url } };
  const pkg = json.packages?.[0];
  if (!pkg) return { error: { path: 'remotes', message: 'Only Streamable HTTP remotes are supported (not SSE).' } };
  const command =
    meta.data.command ??
    (pkg.registryType === 'npm'
      ? [pkg.runtimeHint ?? 'npx', ...(pkg.runtimeHint ? [] : ['-y']), `${pkg.identifier}@${pkg.version ?? json.version}`]
      : null);
  if (!command)
    return { error: { path: `_meta.${MANIFOLD_META_KEY}.command`, message: `Say which program runs this ${pkg.registryType} package.` } };
  const declared = launchDeclarationsOf(json);
  if ('error' in declared) return { error: declared.error };
  return { entry: { ...common, transport: 'stdio', command, url: null } };
}

/** Exports a catalog entry as server.json, keeping the registry fields it was imported or seeded with. */
export function serverJsonFromCatalogEntry(entry: CatalogEntry): ServerJson {
  const stored = entry.metadata as Partial<ServerJson>;
  const json: ServerJson = {
    ...stored,
    $schema: stored.$schema ?? SERVER_JSON_SCHEMA_URL,
    name: stored.name ?? `io.manifold.private/${entry.slug}`,
    title: entry.name,
    description: entry.description || entry.name,
    version: entry.version,
    ...(entry.repository
      ? { repository: { url: entry.repository, source: entry.repository.includes('github.com') ? 'github' : 'git' } }
      : {}),
    _meta: {
      ...(stored._meta ?? {}),
      [MANIFOLD_META_KEY]: {
        ...((stored._meta?.[MANIFOLD_META_KEY] as Record<string, unknown> | undefined) ?? {}),
        slug: entry.slug,
        tags: entry.tags,
        ...(entry.transport === 'stdio' ? { command: entry.command } : {}),
      },
    },
  };
  if (entry.transport === 'http' && !json.remotes?.length) json.remotes = [{ type: 'streamable-http', url: entry.url! }];
  if (entry.transport === 'stdio' && !json.packages?.length)
    json.packages = [{ registryType: 'npm', identifier: entry.command[0]!, transport: { type: 'stdio' } }];
  return json;
}

function slugFromName(name: string): string {
  return (
    name
      .split('/')[1]!
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'server'
  );
}

/** GET /api/v1/servers?q=&tag=&transport=&tier= */
export const catalogQuery = z
  .object({
    q: z.string().max(200).optional(),
    tag: z.string().max(40).optional(),
    transport: z.enum(['stdio', 'http']).optional(),
    tier: z.enum(TIERS).optional(),
  })
  .strict();
export type CatalogQuery = z.infer<typeof catalogQuery>;

/** POST /api/v1/servers: a team-private catalog entry. */
export const createServerBody = z
  .object({
    slug: catalogSlugSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    version: z.string().min(1).max(100).default('0.0.0'),
    transport: z.enum(['stdio', 'http']),
    command: z.array(z.string().min(1).max(4096)).max(50).default([]).describe('stdio: program and arguments, never a shell line.'),
    url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('http: the Streamable HTTP endpoint.'),
    repository: z.url().optional(),
    license: z.string().max(100).optional(),
    tags: z.array(z.string().min(1).max(40)).max(20).default([]),
    environmentVariables: z.array(environmentVariableSchema).max(50).default([]).describe('stdio: the variables the server reads.'),
    packageArguments: z
      .array(packageArgumentSchema)
      .max(50)
      .default([])
      .describe('stdio: the arguments an installation may set (server.json packageArguments).'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.transport === 'stdio' && body.command.length === 0)
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'A stdio server needs a command.' });
    if (body.transport === 'http' && !body.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'A remote server needs a URL.' });
  });
export type CreateServerBody = z.infer<typeof createServerBody>;
