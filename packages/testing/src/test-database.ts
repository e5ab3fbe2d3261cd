// Fresh, fully migrated Postgres databases in milliseconds: migrations run once into a template database
// (named after the migrations' hash), then each test database is a CREATE DATABASE ... TEMPLATE clone.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrationsHash } from './migrations-hash';
import { repoRoot } from './repo-root';

const TEMPLATE_PREFIX = 'manifold_tpl_';
const CLONE_PREFIX = 'manifold_t_';
/** Arbitrary constant: the advisory lock that serialises template builds across processes. */
const TEMPLATE_LOCK_KEY = 4_711_202_611;
/** Clones older than this (by the time in their name) are left-overs of killed runs and are dropped. */
const STALE_CLONE_MS = 6 * 60 * 60 * 1000;
const MIGRATE_TIMEOUT_MS = 180_000;

export interface TestDatabase {
  /** Connection URL of the new database (same server and credentials as DATABASE_URL). */
  url: string;
  name: string;
  /** Drops the database, closing any connections still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

let templateReady: Promise<string> | undefined;

/** A new database with every migration applied. Requires DATABASE_URL (any database on the server). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set: run the tests through `npm test`, or point it at a Postgres server');
  templateReady ??= ensureTemplate(adminUrl).catch((error: unknown) => {
    templateReady = undefined; // let a later call try again
    throw error;
  });
  const template = await templateReady;
  const name = `${CLONE_PREFIX}${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`));
  let dropped = false;
  return {
    url: databaseUrl(adminUrl, name),
    name,
    async drop() {
      if (dropped) return;
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
      dropped = true;
    },
  };
}

/**
 * Makes sure manifold_tpl_<hash> exists, building it under an advisory lock if not, and returns its name.
 * Also drops clones that killed runs left behind.
 */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const template = `${TEMPLATE_PREFIX}${migrationsHash().slice(0, 12)}`;
  return withClient(adminUrl, async (client) => {
    await dropStaleClones(client);
    // A template only ever appears under its final name once complete (it is built under another name).
    if (await databaseExists(client, template)) return template;
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      if (await databaseExists(client, template)) return template;
      await dropOtherTemplates(client, template); // holding the lock: nobody else is building one now
      const building = `${template}_building`;
      await client.query(`CREATE DATABASE ${ident(building)}`);
      try {
        await runMigrations(databaseUrl(adminUrl, building));
      } catch (error) {
        await client.query(`DROP DATABASE IF EXISTS ${ident(building)} WITH (FORCE)`);
        throw error;
      }
      await client.query(`ALTER DATABASE ${ident(building)} RENAME TO ${ident(template)}`);
      await client.query(`ALTER DATABASE ${ident(template)} IS_TEMPLATE true`);
      return template;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

/** Templates of other migration histories, and half-built ones of killed builds. Call with the lock held. */
async function dropOtherTemplates(client: pg.Client, keep: string): Promise<void> {
  for (const name of await databasesWithPrefix(client, TEMPLATE_PREFIX)) {
    if (name === keep) continue;
    await client.query(`ALTER DATABASE ${ident(name)} IS_TEMPLATE false`);
    await client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  }
}

/** Clones older than STALE_CLONE_MS, by the creation time (base 36 ms) in their names. */
async function dropStaleClones(client: pg.Client): Promise<void> {
  for (const name of await databasesWithPrefix(client, CLONE_PREFIX)) {
    const createdAt = parseInt(name.slice(CLONE_PREFIX.length).split('_')[0] ?? '', 36);
    if (Date.now() - createdAt > STALE_CLONE_MS) await client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  }
}

async function databasesWithPrefix(client: pg.Client, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replaceAll('_', '\\_')}%`;
  const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
  return rows.map((row) => row.datname);
}

async function runMigrations(url: string): Promise<void> {
  try {
    await promisify(execFile)('npm', ['run', 'deploy', '-w', '@manifold/migrator'], {
      cwd: repoRoot(),
      env: { ...process.env, DATABASE_URL: url },
      timeout: MIGRATE_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`Applying migrations to the template database failed: ${(error as Error).message}\n${stdout}\n${stderr}`, {
      cause: error,
    });
  }
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Our names are [a-z0-9_] only; quoting keeps them exact anyway. */
function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
