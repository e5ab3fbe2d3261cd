// Brings up the real platform for a test suite or a benchmark: a Temporal dev server, a fresh migrated
// database, an in-process worker on its own task queue, and the application services.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { createDatabase, createSystemDatabase, createUserWithTeam, startInstallationChangeFeed, type Database } from '@manifold/db';
import { createEgressGateway, McpPool } from '@manifold/mcp';
import { createKeyringWrapper, createPayloadCodec, parseKeyring, SecretValueRegistry, type Keyring } from '@manifold/secrets';
import type { DestinationStream } from 'pino';
import {
  createSecretVault,
  createServices,
  createTemporalGateway,
  seedPublicCatalog,
  type ActingContext,
  type Services,
} from '@manifold/services';
import {
  createTestDatabase,
  fixtureStdioCommand,
  startTemporalTestServer,
  type TemporalTestServer,
  type TestDatabase,
} from '@manifold/testing';
import { createLogger } from '../src/logger';
import { createWorker, workflowBundleOptions } from '../src/create-worker';
import { loadWorkerConfig } from '../src/config';

export interface Platform {
  db: Database;
  /** The test database's URL, for processes started by a test (the CLI, a real worker). */
  databaseUrl: string;
  services: Services;
  temporal: TemporalTestServer;
  /** A Temporal client that decodes Manifold's encrypted payloads (the test server's own client cannot). */
  client: Client;
  pool: McpPool;
  taskQueue: string;
  keyring: Keyring;
  secretValues: SecretValueRegistry;
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

export async function startPlatform(
  options: {
    logLevel?: string;
    maxConcurrentActivities?: number;
    masterKeys?: string;
    logDestination?: DestinationStream;
    /** The worker's installation cache (ms); a suite that reconfigures an installation between runs sets 0. */
    installationCacheMs?: number;
    /** The worker's workflow cache size (the bench measures memory per cached run with it). */
    maxCachedWorkflows?: number;
    /** Run stdio servers in the bubblewrap sandbox (required mode), as production does. */
    sandbox?: boolean;
    /** More absolute programs team entries may run (MANIFOLD_ALLOWED_COMMANDS), besides the fixture's tsx. */
    allowedCommands?: string[];
    /** More folders sandboxed servers may read (a fixture's own files), besides the catalog's node_modules. */
    sandboxReadOnlyPaths?: string[];
  } = {},
): Promise<Platform> {
  quietTemporalLogs();
  const [temporal, database] = await Promise.all([startTemporalTestServer(), createTestDatabase()]);
  const db = createDatabase(database.url, { maxConnections: 20 });
  // Owner-role client: seeds the public catalog, and serves the worker's cross-team maintenance.
  const system = createSystemDatabase(database.url);
  await seedPublicCatalog(system);
  const taskQueue = `test-${randomUUID()}`;
  // Test servers listen on 127.0.0.1: allowlist loopback explicitly, as development does. The fixture server's
  // team entries run [tsx, main.ts, …]: the operator's allow-list names that one program, as an operator would.
  const config = loadWorkerConfig({
    DATABASE_URL: database.url,
    MANIFOLD_ALLOW_LOOPBACK: 'true',
    MANIFOLD_ALLOWED_COMMANDS: [fixtureStdioCommand()[0]!, ...(options.allowedCommands ?? [])].join(','),
  });
  // A uid range per platform: RLIMIT_NPROC counts per uid, and every test database numbers installations from 1.
  const sandbox = options.sandbox
    ? {
        ...config.sandbox,
        mode: 'required' as const,
        uidBase: 400_000 + Math.floor(Math.random() * 9_000) * 1_000,
        readOnlyPaths: [...config.sandbox.readOnlyPaths, ...(options.sandboxReadOnlyPaths ?? [])],
      }
    : undefined;
  // Sandboxed servers reach the network only through an egress gateway of the platform's own, as in the worker.
  const egress = sandbox ? createEgressGateway({ runtimeDir: `/tmp/manifold-egress-${taskQueue.slice(5, 13)}`, network: config.network, protectedEndpoints: [] }) : undefined;
  const pool = new McpPool({ programDirs: config.programDirs, network: config.network, ...(egress ? { sandbox: { mode: 'required', egress } } : {}) });
  const installationChanges = startInstallationChangeFeed(database.url);
  await installationChanges.ready;
  bundle ??= bundleWorkflowCode({
    ...workflowBundleOptions,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  // Each platform has its own keyring, as setup writes one into .env.
  const keyring = parseKeyring(options.masterKeys ?? `test1:${randomBytes(32).toString('base64')}`);
  const secretValues = new SecretValueRegistry();
  const keyWrapper = createKeyringWrapper(keyring);
  const payloadCodec = createPayloadCodec(keyring);
  const gateway = createTemporalGateway({
    address: temporal.address,
    namespace: temporal.namespace,
    taskQueue,
    payloadCodec: payloadCodec,
  });
  const worker: Worker = await createWorker({
    db,
    system,
    pool,
    network: config.network,
    logger: createLogger(options.logLevel ?? 'silent', {
      secretValues,
      ...(options.logDestination ? { destination: options.logDestination } : {}),
    }),
    vault: createSecretVault({ db, keyWrapper }),
    secretValues,
    payloadCodec,
    dataDir: `/tmp/manifold-test-${taskQueue}`,
    ...(sandbox ? { sandbox } : {}),
    allowedCommands: config.MANIFOLD_ALLOWED_COMMANDS,
    // A loaded 2-core CI machine starts a fixture in seconds: the budgets are widened tenfold, so a tier depends on
    // what a server does (the slow fixture sleeps past them), never on the machine's load.
    certificationLatencyScale: 10,
    connection: temporal.env.nativeConnection,
    temporal: gateway,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: await bundle,
    ...(options.maxConcurrentActivities ? { maxConcurrentActivities: options.maxConcurrentActivities } : {}),
    ...(options.installationCacheMs !== undefined ? { installationCacheMs: options.installationCacheMs } : {}),
    installationChanges,
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  });
  const running = worker.run();
  const services = createServices(
    { db, temporal: gateway, keyWrapper: keyWrapper },
    {
      network: config.network,
      allowedCommands: config.MANIFOLD_ALLOWED_COMMANDS,
    },
  );

  const client = new Client({
    connection: temporal.env.connection,
    namespace: temporal.namespace,
    dataConverter: { payloadCodecs: [payloadCodec] },
  });

  return {
    db,
    databaseUrl: database.url,
    services,
    temporal,
    client,
    pool,
    taskQueue,
    keyring,
    secretValues,
    async newTeam(label = 'team') {
      const email = `${label}-${randomUUID()}@example.test`;
      const { userId, teamId } = await createUserWithTeam(db, { email, passwordHash: 'not-used-in-this-test', teamName: label });
      return { teamId, actor: { type: 'user', id: userId }, role: 'owner' };
    },
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await pool.close();
      await egress?.close();
      await installationChanges.close();
      await gateway.close();
      await db.$disconnect();
      await system.$disconnect();
      await temporal.stop();
      await (database as TestDatabase).drop();
    },
  };
}
