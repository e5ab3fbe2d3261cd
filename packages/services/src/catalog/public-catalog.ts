// The public catalog seeded into every installation of Manifold: real community servers from npm, described
// in the shape of the official MCP registry's server.json (packages / remotes, declared env vars).
// Each entry declares exactly what an installation may set: its state lives in the installation's folder
// (resolved there, not settable to escape it) and its network is none unless it needs a named host.
import { MANIFOLD_META_KEY, type Advisory, type EnvironmentVariable, type LaunchNetwork, type PackageArgument } from '@manifold/core';
import { upsertPublicServer, type CatalogEntryInput, type SystemDatabase } from '@manifold/db';

const REGISTRY_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const SERVERS_REPO = 'https://github.com/modelcontextprotocol/servers';

type Declarations = {
  tags: string[];
  /** server.json packageArguments: the only arguments an installation can set (see core's resolveLaunch). */
  packageArguments?: PackageArgument[];
  environmentVariables?: EnvironmentVariable[];
  /** Manifold's `_meta`: the sandbox network and known flaws, read by the sandbox and by certification. */
  launch?: { network?: LaunchNetwork; advisories?: Advisory[] };
};

function npmStdio(
  slug: string,
  name: string,
  description: string,
  pkg: string,
  version: string,
  command: string[],
  extra: Declarations,
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
          packageArguments: extra.packageArguments ?? [],
          environmentVariables: extra.environmentVariables ?? [],
        },
      ],
      _meta: { [MANIFOLD_META_KEY]: { network: extra.launch?.network ?? { mode: 'none' }, advisories: extra.launch?.advisories ?? [] } },
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
    // Its URL-fetching resource tools must not reach anything: no network at all (the default).
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
    ['mcp-server-filesystem'],
    {
      tags: ['files'],
      // The server refuses every path outside the directories it is given: only folders inside the installation's.
      packageArguments: [
        {
          type: 'positional',
          valueHint: 'directory',
          description: 'Folders the server may use, relative to the installation folder (default: all of it).',
          format: 'filepath',
          resolve: 'folder',
          isRepeated: true,
          default: '.',
        },
      ],
    },
  ),
  npmStdio(
    'server-memory',
    'Memory (knowledge graph)',
    'A persistent knowledge graph of entities, relations and observations, stored in the installation’s folder.',
    '@modelcontextprotocol/server-memory',
    '2026.8.31',
    ['mcp-server-memory'],
    {
      tags: ['memory', 'knowledge-graph'],
      // Unset, the server keeps one file beside its code, shared by every installation: fixed to the folder.
      environmentVariables: [
        {
          name: 'MEMORY_FILE_PATH',
          description: 'The knowledge graph file, inside the installation folder.',
          value: 'memory.jsonl',
          format: 'filepath',
          resolve: 'folder',
        },
      ],
    },
  ),
  npmStdio(
    'server-sequential-thinking',
    'Sequential thinking',
    'A tool for step-by-step, revisable problem solving.',
    '@modelcontextprotocol/server-sequential-thinking',
    '2026.8.31',
    ['mcp-server-sequential-thinking'],
    {
      tags: ['reasoning'],
      environmentVariables: [
        { name: 'DISABLE_THOUGHT_LOGGING', description: 'Set to "true" to stop logging thoughts to stderr.', choices: ['true', 'false'] },
      ],
    },
  ),
  npmStdio(
    'server-postgres',
    'PostgreSQL (read-only)',
    'SQL queries and schema inspection of a PostgreSQL database given by its connection URL (a team secret). Flagged: its read-only transaction can be escaped.',
    '@modelcontextprotocol/server-postgres',
    '0.6.2',
    ['mcp-server-postgres'],
    {
      tags: ['database', 'sql'],
      packageArguments: [
        {
          type: 'positional',
          valueHint: 'connectionString',
          description: 'postgresql://user:password@host:port/db — bind it as a secret, e.g. "{{ secrets.PG_URL }}".',
          isRequired: true,
          isSecret: true,
        },
      ],
      launch: {
        // The server reaches only the host:port of its connection string (through the sandbox's egress proxy).
        network: { mode: 'egress', targetsFrom: [{ arg: 'connectionString' }], allowInstallationTargets: false },
        advisories: [
          {
            id: 'server-postgres-readonly-escape',
            severity: 'high',
            summary:
              'The "query" tool wraps SQL in BEGIN READ ONLY but runs it as given, so "COMMIT; <any statement>" writes. Connect it only as a database role that has no write privileges. The reference server is archived and unmaintained.',
          },
        ],
      },
    },
  ),
];

/** Idempotent: run on every setup; every field of a stored public entry is overwritten (so no version bump is needed). */
export async function seedPublicCatalog(db: SystemDatabase): Promise<number> {
  for (const entry of PUBLIC_CATALOG) await upsertPublicServer(db, entry);
  return PUBLIC_CATALOG.length;
}
