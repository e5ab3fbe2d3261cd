// The worker process: runs workflows and the activities that do I/O (MCP calls, Postgres writes).
import { NativeConnection } from '@temporalio/worker';
import { createDatabase, createSystemDatabase, startInstallationChangeFeed } from '@manifold/db';
import { createEgressGateway, McpPool, probeSandbox, type SandboxProbe } from '@manifold/mcp';
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
  const sandbox = await checkSandbox(config.sandbox.mode, logger);
  const db = createDatabase(config.DATABASE_URL);
  const system = createSystemDatabase(config.DATABASE_URL);
  // The only way out of a sandboxed server's network namespace: per-session allow-lists, SSRF rules, and never
  // Manifold's own ports (already in config.network.protectedEndpoints).
  const egress = createEgressGateway({
    runtimeDir: config.egressDir,
    network: config.network,
    protectedEndpoints: [],
    onEvent: (event) =>
      event.type === 'egress_refused' ? logger.warn(event, 'egress refused') : logger.debug(event, 'egress connection closed'),
  });
  const pool = new McpPool({
    programDirs: config.programDirs,
    idleTimeoutMs: config.MCP_IDLE_TIMEOUT_MS,
    maxResultBytes: config.MCP_MAX_RESULT_BYTES,
    network: config.network,
    sandbox: { mode: config.sandbox.mode, probe: sandbox, egress },
    onEvent: (event) => {
      if (event.type === 'stderr') logger.debug({ server: event.key, line: event.line }, 'server stderr');
      else if (event.type === 'warning') logger.warn(event.message);
      else logger.info(event, `mcp session ${event.type}`);
    },
  });
  const installationChanges = startInstallationChangeFeed(config.DATABASE_URL, {
    onError: (error) => logger.warn({ err: error }, 'installation change feed disconnected; reconnecting (cache falls back to its TTL)'),
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const payloadCodec = config.keyring ? createPayloadCodec(config.keyring) : undefined;
  // The worker's own client of Temporal: schedules, and the run sweep's describes and starts.
  const gateway = createTemporalGateway({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    payloadCodec,
  });
  const worker = await createWorker({
    db,
    system,
    pool,
    network: config.network,
    logger,
    dataDir: config.MANIFOLD_DATA_DIR,
    ...(config.sandbox.mode === 'off' ? {} : { sandbox: config.sandbox }),
    allowedCommands: config.MANIFOLD_ALLOWED_COMMANDS,
    certificationLatencyScale: config.CERTIFICATION_LATENCY_SCALE,
    connection,
    temporal: gateway,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxConcurrentActivities: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentLocalActivities: config.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    installationCacheMs: config.WORKER_INSTALLATION_CACHE_MS,
    payloadThresholdBytes: config.PAYLOAD_THRESHOLD_BYTES,
    installationChanges,
    vault: createSecretVault({ db, keyWrapper }),
    secretValues,
    payloadCodec,
  });
  // Idempotent: every worker may try; the first creates each schedule. A failure must not stop the worker.
  if (config.RECERTIFY_EVERY !== 'off')
    await gateway
      .ensureRecertificationSchedule(config.RECERTIFY_EVERY)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not create the re-certification schedule'));
  if (config.RUN_SWEEP_EVERY !== 'off')
    await gateway
      .ensureRunSweepSchedule(config.RUN_SWEEP_EVERY)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not create the run sweep schedule'));
  const health = await startHealthServer(config.WORKER_HEALTH_PORT, () => ({
    ok: worker.getState() === 'RUNNING',
    detail: { state: worker.getState(), mcpSessions: pool.stats().sessions, sandbox: { mode: config.sandbox.mode, available: sandbox.available } },
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
      sandbox: { mode: config.sandbox.mode, ...sandbox },
    },
    'worker started',
  );
  try {
    await worker.run();
  } finally {
    health.close();
    await pool.close();
    await egress.close();
    await installationChanges.close();
    await gateway.close();
    await connection.close();
    await db.$disconnect();
    await system.$disconnect();
    logger.info('worker stopped');
  }
}

/**
 * Probes the sandbox once. Required (production) and not working: the worker does not start at all. A worker that
 * took activity tasks it cannot run would fail every team's stdio steps; one that does not start leaves them queued
 * in Temporal until a worker that can sandbox picks them up, and the deploy fails loudly at once.
 */
async function checkSandbox(mode: 'required' | 'optional' | 'off', logger: ReturnType<typeof createLogger>): Promise<SandboxProbe> {
  if (mode === 'off') {
    logger.warn('!!! MANIFOLD_SANDBOX=off: stdio MCP servers run unsandboxed and can read this worker\'s files and environment (development only).');
    return { available: false, reason: 'MANIFOLD_SANDBOX=off' };
  }
  const probe = await probeSandbox();
  if (!probe.available && mode === 'required')
    throw new Error(`the stdio server sandbox is required (MANIFOLD_SANDBOX / NODE_ENV=production) but ${probe.reason}`);
  // In optional mode the pool logs the one loud warning itself, when the first stdio server starts unsandboxed.
  return probe;
}

main().catch((error: unknown) => {
  console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
