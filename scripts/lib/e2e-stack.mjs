// The stack the Playwright suite runs against: free ports, a fresh database, in-memory Temporal, built web app.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, loadDotenv, portSetting } from './env.mjs';
import { findFreePorts } from './ports.mjs';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres, withDatabase } from './postgres.mjs';
import { applyMigrations, seedCatalog } from './prepare.mjs';
import { UserError } from './report.mjs';
import { startStack } from './stack.mjs';
import { findTemporalCli } from './temporal.mjs';

/** The reference MCP server's program, allow-listed for the stack (MANIFOLD_ALLOWED_COMMANDS) and used by specs. */
const E2E_EVERYTHING_BIN = path.join(ROOT, 'node_modules/.bin/mcp-server-everything');

export const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/lib/chromium/chromium'].filter(Boolean);
export const LOG_DIR = path.join(ROOT, 'e2e', 'artifacts', 'logs');
const WEB_BUILD_ID = path.join(ROOT, 'apps', 'web', '.next', 'BUILD_ID');

/** Debian's Chromium (Playwright must never download a browser), or undefined when none is installed. */
export function chromiumPath() {
  return CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
}

/**
 * The stack's ports, chosen once when the Playwright config first loads and kept in E2E_PORTS so that the
 * config, re-read by every worker process, gives the same baseURL.
 */
export async function e2ePorts() {
  if (!process.env.E2E_PORTS) {
    const [web, temporal, workerHealth] = await findFreePorts(3);
    process.env.E2E_PORTS = JSON.stringify({ web, temporal, workerHealth });
  }
  const ports = JSON.parse(process.env.E2E_PORTS);
  process.env.E2E_BASE_URL = `http://127.0.0.1:${ports.web}`;
  return ports;
}

const state = (globalThis.__manifoldE2e ??= {});

/** Starts everything and exports E2E_BASE_URL, E2E_DATABASE_URL, E2E_TEMPORAL_ADDRESS for the specs. */
export async function startE2eStack() {
  loadDotenv();
  if (!chromiumPath())
    throw new UserError(
      `Chromium is not installed (looked at ${CHROMIUM_CANDIDATES.join(', ')}); apt-get install -y chromium, or set CHROMIUM_PATH`,
    );
  const cli = findTemporalCli();
  if (!cli) throw new UserError('the Temporal CLI is missing; run npm run setup (it installs one), or set TEMPORAL_CLI');
  if (!existsSync(WEB_BUILD_ID))
    throw new UserError('the web app is not built; run npx turbo run build --filter=@manifold/web (npm test does this first)');
  for (const key of ['AUTH_SECRET', 'MANIFOLD_MASTER_KEYS']) {
    if (!process.env[key]) throw new UserError(`${key} is not set; run npm run setup (it writes .env), or set it`);
  }
  rmSync(LOG_DIR, { recursive: true, force: true });

  try {
    let serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      state.postgres = await startEmbeddedPostgres({ port: portSetting('EMBEDDED_PG_PORT'), log: () => {} });
      serverUrl = state.postgres.url('postgres');
    }
    const databaseUrl = withDatabase(serverUrl, `manifold_e2e_${randomBytes(4).toString('hex')}`);
    await ensureDatabase(databaseUrl);
    state.databaseUrl = databaseUrl;
    await applyMigrations(databaseUrl);
    await seedCatalog(databaseUrl);

    const ports = await e2ePorts();
    state.stack = await startStack({
      databaseUrl,
      temporalCli: cli.path,
      ports: { ...ports, temporalUi: null },
      output: 'quiet',
      logDir: LOG_DIR,
      // Team entries in the specs run the reference server by absolute path, as an operator would list a program.
      env: { MANIFOLD_ALLOWED_COMMANDS: E2E_EVERYTHING_BIN },
    });
    Object.assign(process.env, {
      E2E_BASE_URL: state.stack.appUrl,
      E2E_DATABASE_URL: databaseUrl,
      E2E_TEMPORAL_ADDRESS: state.stack.temporalAddress,
      E2E_TEMPORAL_NAMESPACE: TEMPORAL_NAMESPACE,
      E2E_TEMPORAL_TASK_QUEUE: TEMPORAL_TASK_QUEUE,
      E2E_EVERYTHING_BIN,
    });
  } catch (error) {
    await stopE2eStack();
    if (error instanceof UserError) {
      // Playwright prints only the message: keep the children's last lines in it.
      throw new Error(`${error.message} (logs: ${path.relative(ROOT, LOG_DIR)})${error.details ? `\n${error.details}` : ''}`);
    }
    throw error;
  }
}

/** Stops the stack and drops the test database; safe to call more than once. */
export async function stopE2eStack() {
  const { stack, databaseUrl, postgres } = state;
  state.stack = state.databaseUrl = state.postgres = undefined;
  await stack?.stop();
  if (databaseUrl) await dropDatabase(databaseUrl);
  await postgres?.stop();
}
