// Brings up the real platform for a test suite or a benchmark: a Temporal dev server, a fresh migrated
// database, an in-process worker on its own task queue, and the application services.
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { createDatabase, createUserWithTeam, type Database } from '@manifold/db';
import { McpPool } from '@manifold/mcp';
import { createServices, createTemporalGateway, seedPublicCatalog, type ActingContext, type Services } from '@manifold/services';
import { createTestDatabase, startTemporalTestServer, type TemporalTestServer, type TestDatabase } from '@manifold/testing';
import { createLogger } from '../src/logger';
import { createWorker, workflowsPath } from '../src/create-worker';
import { loadWorkerConfig } from '../src/config';

export interface Platform {
  db: Database;
  /** The test database's URL, for processes started by a test (e.g. a worker child process). */
  databaseUrl: string;
  services: Services;
  temporal: TemporalTestServer;
  pool: McpPool;
  taskQueue: string;
  /** A fresh team with its owner, acting as that user. */
  newTeam(label?: string): Promise<ActingContext>;
  stop(): Promise<void>;
}

let isRuntimeInstalled = false;
/** The SDK logs every worker state change at INFO; tests want errors only (expected failures log warnings). Installable once per process. */
function quietTemporalLogs() {
  if (isRuntimeInstalled) return;
  isRuntimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

let bundle: Promise<Awaited<ReturnType<typeof bundleWorkflowCode>>> | undefined;

export async function startPlatform(options: { logLevel?: string; maxConcurrentActivities?: number } = {}): Promise<Platform> {
  quietTemporalLogs();
  const [temporal, database] = await Promise.all([startTemporalTestServer(), createTestDatabase()]);
  const db = createDatabase(database.url, { maxConnections: 20 });
  await seedPublicCatalog(db);
  const taskQueue = `test-${randomUUID()}`;
  const pool = new McpPool({ programDirs: loadWorkerConfig({ DATABASE_URL: database.url }).programDirs });
  bundle ??= bundleWorkflowCode({
    workflowsPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const worker: Worker = await createWorker({
    db,
    pool,
    logger: createLogger(options.logLevel ?? 'silent'),
    dataDir: `/tmp/manifold-test-${taskQueue}`,
    connection: temporal.env.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: await bundle,
    ...(options.maxConcurrentActivities ? { maxConcurrentActivities: options.maxConcurrentActivities } : {}),
  });
  const running = worker.run();
  const gateway = createTemporalGateway({ address: temporal.address, namespace: temporal.namespace, taskQueue });
  const services = createServices({ db, temporal: gateway });

  return {
    db,
    databaseUrl: database.url,
    services,
    temporal,
    pool,
    taskQueue,
    async newTeam(label = 'team') {
      const email = `${label}-${randomUUID()}@example.test`;
      const { userId, teamId } = await createUserWithTeam(db, { email, passwordHash: 'not-used-in-this-test', teamName: label });
      return { teamId, actor: { type: 'user', id: userId } };
    },
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await pool.close();
      await gateway.close();
      await db.$disconnect();
      await temporal.stop();
      await (database as TestDatabase).drop();
    },
  };
}
