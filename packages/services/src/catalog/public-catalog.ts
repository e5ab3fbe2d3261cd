// The public catalog seeded into every installation of Manifold: real community servers from npm, described
// in the shape of the official MCP registry's server.json (packages / remotes, declared env vars).
import { upsertPublicServer, type CatalogEntryInput, type SystemDatabase } from '@manifold/db';

const REGISTRY_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const SERVERS_REPO = 'https://github.com/modelcontextprotocol/servers';

function npmStdio(
  slug: string,
  name: string,
  description: string,
  pkg: string,
  version: string,
  command: string[],
  extra: {
    tags: string[];
    environmentVariables?: Array<{ name: string; description: string; isSecret: boolean; isRequired: boolean }>;
    /** Known flaws, shown in the certification's security dimension (high/critical keep it below certified). */
    advisories?: Array<{ id: string; severity: 'low' | 'medium' | 'high' | 'critical'; summary: string }>;
  },
): CatalogEntryInput {
  return {
    slug,
    name,
    description,
    version,
    transport: 'stdio',
    command,
    url: null,
    repository: SERVERS_REPO,
    tags: extra.tags,
    metadata: {
      $schema: REGISTRY_SCHEMA,
      name: `io.github.modelcontextprotocol/${slug}`,
      packages: [
        {
          registryType: 'npm',
          identifier: pkg,
          version,
          transport: { type: 'stdio' },
          environmentVariables: extra.environmentVariables ?? [],
        },
      ],
      ...(extra.advisories ? { _meta: { 'io.manifold/catalog': { advisories: extra.advisories } } } : {}),
    },
  };
}

export const PUBLIC_CATALOG: CatalogEntryInput[] = [
  npmStdio(
    'server-everything',
    'Everything (reference server)',
    'The MCP reference server: echo, sums, long-running operations, resources and prompts. Good for trying Manifold.',
    '@modelcontextprotocol/server-everything',
    '2026.8.31',
    ['mcp-server-everything', 'stdio'],
    { tags: ['reference', 'testing'] },
  ),
  {
    slug: 'server-everything-http',
    name: 'Everything over Streamable HTTP',
    description:
      'The reference server reached over Streamable HTTP. Run it with `PORT=3001 npx mcp-server-everything streamableHttp` (npm start does) or point config.url at your own deployment.',
    version: '2026.8.31',
    transport: 'http',
    command: [],
    url: 'http://127.0.0.1:3001/mcp',
    repository: SERVERS_REPO,
    tags: ['reference', 'testing', 'remote'],
    metadata: {
      $schema: REGISTRY_SCHEMA,
      name: 'io.github.modelcontextprotocol/server-everything-http',
      remotes: [{ type: 'streamable-http', url: 'http://127.0.0.1:3001/mcp' }],
    },
  },
  npmStdio(
    'server-filesystem',
    'Filesystem',
    'Read, write, search and move files inside the installation’s own working folder.',
    '@modelcontextprotocol/server-filesystem',
    '2026.8.31',
    ['mcp-server-filesystem', '.'],
    { tags: ['files'] },
  ),
  npmStdio(
    'server-memory',
    'Memory (knowledge graph)',
    'A persistent knowledge graph of entities, relations and observations, stored in the installation’s folder.',
    '@modelcontextprotocol/server-memory',
    '2026.8.31',
    ['mcp-server-memory'],
    { tags: ['memory', 'knowledge-graph'] },
  ),
  npmStdio(
    'server-sequential-thinking',
    'Sequential thinking',
    'A tool for step-by-step, revisable problem solving.',
    '@modelcontextprotocol/server-sequential-thinking',
    '2026.8.31',
    ['mcp-server-sequential-thinking'],
    { tags: ['reasoning'] },
  ),
  npmStdio(
    'server-postgres',
    'PostgreSQL (read-only)',
    'Read-only SQL queries and schema inspection of a PostgreSQL database given by its connection URL argument.',
    '@modelcontextprotocol/server-postgres',
    '0.6.2',
    ['mcp-server-postgres'],
    {
      tags: ['database', 'sql'],
      advisories: [
        {
          id: 'server-postgres-readonly-bypass',
          severity: 'high',
          summary:
            'The "read-only" transaction can be ended from inside a query ("…; COMMIT; <any statement>"), so a query built from run input can write. The package is archived and unmaintained.',
        },
      ],
    },
  ),
];

/** Idempotent: run on every setup. */
export async function seedPublicCatalog(db: SystemDatabase): Promise<number> {
  for (const entry of PUBLIC_CATALOG) await upsertPublicServer(db, entry);
  return PUBLIC_CATALOG.length;
}
