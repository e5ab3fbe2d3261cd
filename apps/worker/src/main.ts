// The worker process: runs workflows and the activities that do I/O (MCP calls, Postgres writes).
import { NativeConnection } from '@temporalio/worker';
import { createDatabase, createSystemDatabase, startInstallationChangeFeed } from '@manifold/db';
import { McpPool } from '@manifold/mcp';
import { createKeyringWrapper, createPayloadCodec, keyringSummary, SecretValueRegistry } from '@manifold/secrets';
import { createSecretVault, createTemporalGateway } from '@manifold/services';
import { loadWorkerConfig } from './config';
import { createLogger } from './logger';
import { createWorker } from './create-worker';
import { startHealthServer } from './health';

async function main() {
  const config = loadWorkerConfig();
  const secretValues = new SecretValueRegistry();
  const logger = createLogger(config.LOG_LEVEL, { secretValues });
  const keyWrapper = config.keyring ? createKeyringWrapper(config.keyring) : undefined;
  if (!config.keyring) logger.warn('MANIFOLD_MASTER_KEYS is not set: secrets and Temporal payload encryption are off (development only).');
  const db = createDatabase(config.DATABASE_URL);
  const system = createSystemDatabase(config.DATABASE_URL);
  const pool = new McpPool({
    programDirs: config.programDirs,
    idleTimeoutMs: config.MCP_IDLE_TIMEOUT_MS,
    maxResultBytes: config.MCP_MAX_RESULT_BYTES,
    network: config.network,
    onEvent: (event) => {
      if (event.type === 'stderr') logger.debug({ server: event.key, line: event.line }, 'server stderr');
      else logger.info(event, `mcp session ${event.type}`);
    },
  });
  const installationChanges = startInstallationChangeFeed(config.DATABASE_URL, {
    onError: (error) => logger.warn({ err: error }, 'installation change feed disconnected; reconnecting (cache falls back to its TTL)'),
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    db,
    system,
    pool,
    network: config.network,
    logger,
    dataDir: config.MANIFOLD_DATA_DIR,
    allowedCommands: config.MANIFOLD_ALLOWED_COMMANDS,
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxConcurrentActivities: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentLocalActivities: config.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    installationCacheMs: config.WORKER_INSTALLATION_CACHE_MS,
    installationChanges,
    vault: createSecretVault({ db, keyWrapper }),
    secretValues,
    payloadCodec: config.keyring ? createPayloadCodec(config.keyring) : undefined,
  });
  if (config.RECERTIFY_EVERY !== 'off') {
    // Idempotent: every worker may try; the first creates the schedule. A failure must not stop the worker.
    const gateway = createTemporalGateway({
      address: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
    });
    await gateway
      .ensureRecertificationSchedule(config.RECERTIFY_EVERY)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not create the re-certification schedule'))
      .finally(() => void gateway.close());
  }
  const health = await startHealthServer(config.WORKER_HEALTH_PORT, () => ({
    ok: worker.getState() === 'RUNNING',
    detail: { state: worker.getState(), mcpSessions: pool.stats().sessions },
  }));

  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'worker stopping');
    worker.shutdown();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      temporal: config.TEMPORAL_ADDRESS,
      healthPort: config.WORKER_HEALTH_PORT,
      keyring: config.keyring ? keyringSummary(config.keyring) : null,
    },
    'worker started',
  );
  try {
    await worker.run();
  } finally {
    health.close();
    await pool.close();
    await installationChanges.close();
    await connection.close();
    await db.$disconnect();
    await system.$disconnect();
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
