// The idempotent preparation shared by setup, start and test: dependencies, Temporal CLI, .env, database,
// Prisma client, migrations and the public catalog seed. Node built-ins only until npm install has run.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, childEnv, ensureDevEnvFile, loadDotenv, portSetting, redactUrl } from './env.mjs';
import { atCleanup } from './lifecycle.mjs';
import { ensureDatabase, queryDatabase, startEmbeddedPostgres } from './postgres.mjs';
import { runOrFail } from './proc.mjs';
import { step } from './report.mjs';
import { ensureTemporalCli } from './temporal.mjs';
import { ensureSandboxTools } from './sandbox.mjs';

const INSTALL_STAMP = path.join(ROOT, 'node_modules', '.manifold-install-stamp');
const GENERATE_STAMP = path.join(ROOT, 'node_modules', '.manifold-generate-stamp');
const SCHEMA_DIR = path.join(ROOT, 'prisma', 'schema');
const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');
const CLI_MAIN = path.join('apps', 'cli', 'src', 'main.ts');

function hashFiles(relativePaths) {
  const hash = createHash('sha256');
  for (const file of relativePaths) {
    const full = path.join(ROOT, file);
    hash.update(`${file}\0${existsSync(full) ? readFileSync(full) : '<missing>'}\0`);
  }
  return hash.digest('hex');
}

/** Root package.json, every workspace's package.json and the lockfile: what decides node_modules. */
function installInputs() {
  const { workspaces = [] } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const manifests = workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [path.join(pattern, 'package.json')];
    const parent = path.join(ROOT, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(parent, entry.name, 'package.json')))
      .map((entry) => path.join(pattern.slice(0, -2), entry.name, 'package.json'));
  });
  return ['package.json', ...manifests.sort(), 'package-lock.json'];
}

async function ensureDependencies() {
  const wanted = `${process.version}\n${hashFiles(installInputs())}`;
  if (existsSync(INSTALL_STAMP) && readFileSync(INSTALL_STAMP, 'utf8') === wanted) return 'up to date';
  const reason = existsSync(path.join(ROOT, 'node_modules')) ? 'package files changed' : 'node_modules missing';
  await runOrFail('npm', 'npm', ['install', '--no-audit', '--no-fund'], {
    failMessage: 'npm install failed; read the output above, fix it, then run npm run setup again',
  });
  // npm may have rewritten the lockfile: stamp what is there now.
  writeFileSync(INSTALL_STAMP, `${process.version}\n${hashFiles(installInputs())}`);
  return `ran npm install (${reason})`;
}

/** Where prisma generate writes the client, read from the generator block. */
function generatedClientDir() {
  const main = readFileSync(path.join(SCHEMA_DIR, 'main.prisma'), 'utf8');
  const output = /generator\s+client\s*{[^}]*?output\s*=\s*"([^"]+)"/s.exec(main)?.[1] ?? '../../packages/db/src/generated/prisma';
  return path.resolve(SCHEMA_DIR, output);
}

async function ensurePrismaClient() {
  const schemaFiles = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.prisma'))
    .sort()
    .map((file) => path.join('prisma', 'schema', file));
  const wanted = hashFiles([...schemaFiles, path.join('packages', 'db', 'prisma.config.ts'), 'package-lock.json']);
  const clientExists = existsSync(path.join(generatedClientDir(), 'client.ts'));
  if (clientExists && existsSync(GENERATE_STAMP) && readFileSync(GENERATE_STAMP, 'utf8') === wanted) return 'up to date';
  await runOrFail('generate', 'npm', ['run', 'db:generate'], {
    failMessage: 'generating the Prisma client failed; fix the schema in prisma/schema, then run npm run setup again',
  });
  writeFileSync(GENERATE_STAMP, wanted);
  return clientExists ? 'regenerated (schema or dependencies changed)' : 'generated';
}

/**
 * True when the database has applied exactly the migrations in prisma/migrations, with the same checksums
 * (Prisma stores the SHA-256 of migration.sql): then the ~1.5 s Prisma CLI run can be skipped.
 */
async function migrationsMatch(databaseUrl) {
  const local = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(MIGRATIONS_DIR, entry.name, 'migration.sql')))
    .map((entry) => [
      entry.name,
      createHash('sha256')
        .update(readFileSync(path.join(MIGRATIONS_DIR, entry.name, 'migration.sql')))
        .digest('hex'),
    ]);
  const applied = await queryDatabase(
    databaseUrl,
    'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  ).catch(() => null); // no migrations table yet
  if (!applied || applied.length !== local.length) return false;
  const appliedChecksums = new Map(applied.map((row) => [row.migration_name, row.checksum]));
  return local.every(([name, checksum]) => appliedChecksums.get(name) === checksum) && local.length;
}

/** Applies pending migrations from prisma/migrations (prisma/migrator, Prisma 6.19 WebAssembly engine). */
export async function applyMigrations(databaseUrl) {
  const upToDate = await migrationsMatch(databaseUrl);
  if (upToDate) return `up to date (${upToDate} applied)`;
  const { text } = await runOrFail('migrate', 'npm', ['run', 'deploy', '-w', '@manifold/migrator'], {
    env: childEnv({ DATABASE_URL: databaseUrl }),
    failMessage: `applying migrations to ${redactUrl(databaseUrl)} failed; fix the migration named above (a throw-away dev database can be rebuilt with npm run db:reset), then run npm run setup again`,
  });
  const found = /(\d+) migrations? found/.exec(text)?.[1];
  return /No pending migrations/i.test(text) ? 'up to date' : `applied (${found ?? '?'} in prisma/migrations)`;
}

/** Seeds the public MCP server catalog (idempotent). */
export async function seedCatalog(databaseUrl) {
  if (!existsSync(path.join(ROOT, CLI_MAIN))) return { skipped: true, detail: `skipped: ${CLI_MAIN} does not exist yet` };
  await runOrFail('seed', 'tsx', [CLI_MAIN, 'seed'], {
    env: childEnv({ DATABASE_URL: databaseUrl }),
    failMessage: `seeding the catalog into ${redactUrl(databaseUrl)} failed; fix the error above, then run npm run setup again`,
  });
  return 'catalog seeded';
}

/**
 * Makes the checkout ready to run: each step prints one line with its duration and is skipped when already
 * done. Without DATABASE_URL an embedded Postgres is started (and registered for cleanup) and DATABASE_URL
 * points at `database` on it; it is stopped by the lifecycle cleanup. Sets process.env.DATABASE_URL and
 * TEMPORAL_CLI for child processes.
 * @returns {Promise<{ databaseUrl: string, temporalCli: string, postgres?: object }>}
 */
export async function prepare({ database = 'manifold' } = {}) {
  loadDotenv();
  await step('npm dependencies', ensureDependencies);

  const cli = await step('Temporal CLI', async () => {
    const found = await ensureTemporalCli();
    return { ...found, detail: `${found.version} (${found.source})` };
  });

  await step('server sandbox', ensureSandboxTools);

  await step('.env', () => {
    const { created, added } = ensureDevEnvFile();
    if (created) return `created with development secrets (${added.join(', ')})`;
    return added.length ? `added ${added.join(', ')}` : 'present';
  });

  let postgres;
  const databaseUrl = await step('database', async () => {
    if (process.env.DATABASE_URL) {
      const created = await ensureDatabase(process.env.DATABASE_URL);
      return { url: process.env.DATABASE_URL, detail: `${created ? 'created' : 'using'} ${redactUrl(process.env.DATABASE_URL)}` };
    }
    const notes = [];
    postgres = await startEmbeddedPostgres({ port: portSetting('EMBEDDED_PG_PORT'), log: (note) => notes.push(note) });
    atCleanup(() => postgres.stop());
    const url = postgres.url(database);
    const created = await ensureDatabase(url);
    const how = postgres.reused ? 'reused running' : 'started';
    const detail = `${how} embedded Postgres on port ${postgres.port}, database ${database}${created ? ' (created)' : ''}`;
    return { url, detail: [detail, ...notes].join('; ') };
  }).then((result) => result.url);
  process.env.DATABASE_URL ??= databaseUrl;

  await step('Prisma client', ensurePrismaClient);
  await step('migrations', () => applyMigrations(databaseUrl));
  await step('seed', () => seedCatalog(databaseUrl));
  return { databaseUrl, temporalCli: cli.path, postgres };
}
