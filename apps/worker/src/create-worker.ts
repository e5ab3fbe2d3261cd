// Wires the Temporal worker: workflow bundle, activities and explicit concurrency limits.
import { createRequire } from 'node:module';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Database } from '@manifold/db';
import type { McpPool } from '@manifold/mcp';
import { createRunActivities } from './activities/run-activities';
import { createServerActivities } from './activities/server-activities';
import { createCertificationActivities } from './activities/certification-activities';

const require = createRequire(import.meta.url);
export const workflowsPath = require.resolve('@manifold/workflows/workflows');

export interface WorkerDeps {
  db: Database;
  pool: McpPool;
  logger: Logger;
  dataDir: string;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  maxConcurrentActivities?: number;
  maxConcurrentWorkflowTasks?: number;
  /** A prebuilt bundle (tests build it once); else the worker bundles the workflows at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath }),
    activities: {
      ...createRunActivities(deps),
      ...createServerActivities(deps),
      ...createCertificationActivities(deps),
    },
    // Temporal's defaults "are unlikely to be suitable for production": state them.
    maxConcurrentActivityTaskExecutions: deps.maxConcurrentActivities ?? 200,
    maxConcurrentWorkflowTaskExecutions: deps.maxConcurrentWorkflowTasks ?? 50,
    shutdownGraceTime: '10s',
  });
}
