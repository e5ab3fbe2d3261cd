// Wires the Temporal worker: workflow bundle, activities and explicit concurrency limits.
import { createRequire } from 'node:module';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Database, InstallationChangeFeed, SystemDatabase } from '@manifold/db';
import type { McpPool, NetworkPolicy } from '@manifold/mcp';
import type { PayloadCodec } from '@temporalio/common';
import type { SecretValueRegistry } from '@manifold/secrets';
import { createOAuthClient, createOAuthTokenManager, type SecretVault, type TemporalGateway } from '@manifold/services';
import { createSecretBinder } from './secrets/bind-secrets';
import type { SpecHost } from './connection-spec';
import { createRunActivities } from './activities/run-activities';
import { createServerActivities } from './activities/server-activities';
import { createCertificationActivities } from './activities/certification-activities';
import { createReconcileActivities } from './activities/reconcile-activities';
import { internalErrorInterceptor } from './activities/internal-errors';

const require = createRequire(import.meta.url);
export const workflowsPath = require.resolve('@manifold/workflows/workflows');
/** Encodes failure messages and stack traces as payloads, so the codec encrypts them too. */
export const failureConverterPath = require.resolve('@manifold/workflows/failure-converter');
/** What a prebuilt workflow bundle must be built with (bundleWorkflowCode) to match this worker. */
export const workflowBundleOptions = { workflowsPath, failureConverterPath } as const;

export interface WorkerDeps {
  db: Database;
  /** Owner-role client for the worker's cross-team maintenance (certification sweeps); RLS does not filter it. */
  system: SystemDatabase;
  pool: McpPool;
  logger: Logger;
  dataDir: string;
  /** Sandbox defaults for stdio servers (see SpecHost). */
  sandbox?: SpecHost['sandbox'];
  /** The operator's MANIFOLD_ALLOWED_COMMANDS (allowedCommandsSetting): re-checked before a team entry starts. */
  allowedCommands: readonly string[];
  /** CERTIFICATION_LATENCY_SCALE: the certification latency budgets times this (default 1). */
  certificationLatencyScale?: number;
  connection: NativeConnection;
  /** A client of the same Temporal, for the run sweep (describe a run's workflow, start a queued run). */
  temporal: TemporalGateway;
  namespace: string;
  taskQueue: string;
  maxConcurrentActivities?: number;
  maxConcurrentWorkflowTasks?: number;
  /** Local activities (short tool calls and the run's record writes) this worker runs at once. */
  maxConcurrentLocalActivities?: number;
  /** Runs whose workflow state stays cached in memory (see WORKFLOW_CACHE_DEFAULT). */
  maxCachedWorkflows?: number;
  /** How long an installation row is reused by tool calls (ms; 0 = read it for every call). */
  installationCacheMs?: number;
  /** Values with larger JSON are stored in Postgres and referenced (PAYLOAD_THRESHOLD_BYTES). */
  payloadThresholdBytes?: number;
  /** Installation changes from every process (LISTEN/NOTIFY): the cache drops a changed row at once. */
  installationChanges?: InstallationChangeFeed;
  /** A prebuilt bundle (tests build it once); else the worker bundles the workflows at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Opens the secrets installations bind, just in time. */
  vault: SecretVault;
  /** Every secret value this process decrypted, for the log stream's redaction. */
  secretValues: SecretValueRegistry;
  /** The SSRF policy, also for OAuth discovery and token requests (the pool has its own copy for MCP traffic). */
  network?: NetworkPolicy;
  /** Encrypts Temporal payloads; the clients that start runs must use the same keyring. */
  payloadCodec?: PayloadCodec | undefined;
}

/** Runs kept cached by default: about 1,000 × the measured memory per cached run (docs/benchmarks.md). */
export const WORKFLOW_CACHE_DEFAULT = 1_000;

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const tokens = createOAuthTokenManager({
    db: deps.db,
    vault: deps.vault,
    client: createOAuthClient({ network: deps.network ?? {} }),
    onTokenValue: (value) => deps.secretValues.add([value]),
  });
  const bindSecrets = createSecretBinder({ vault: deps.vault, registry: deps.secretValues, tokens });
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath }),
    activities: {
      ...createRunActivities({ ...deps, bindSecrets }),
      ...createServerActivities({ ...deps, bindSecrets }),
      ...createCertificationActivities({ ...deps, bindSecrets }),
      ...createReconcileActivities(deps),
    },
    // An unexpected error (Prisma, a driver) never reaches a run's error or Temporal history as is.
    interceptors: { activity: [internalErrorInterceptor(deps.logger)] },
    // Temporal's defaults "are unlikely to be suitable for production": state them.
    maxConcurrentActivityTaskExecutions: deps.maxConcurrentActivities ?? 200,
    maxConcurrentWorkflowTaskExecutions: deps.maxConcurrentWorkflowTasks ?? 50,
    // A run's steps are local activities: as many as the activity slots, so a wide fan-out is not queued here.
    maxConcurrentLocalActivityExecutions: deps.maxConcurrentLocalActivities ?? 200,
    // Each cached run costs memory (docs/benchmarks.md: measured per run in flight); an evicted run is
    // replayed from its history on its next task, which costs CPU instead. The SDK's default scales with
    // the heap limit (≈ 2,000 runs on a 4 GB heap), i.e. without a bound we chose: state it.
    maxCachedWorkflows: deps.maxCachedWorkflows ?? WORKFLOW_CACHE_DEFAULT,
    shutdownGraceTime: '10s',
    dataConverter: { failureConverterPath, ...(deps.payloadCodec ? { payloadCodecs: [deps.payloadCodec] } : {}) },
  });
}
