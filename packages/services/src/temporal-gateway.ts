// The one place the web app and CLI talk to Temporal: a lazily connected client plus the calls we make.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, type WorkflowExecutionStatusName, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Duration, PayloadCodec } from '@temporalio/common';
import { AppError, runWorkflowId } from '@manifold/core';
import {
  WORKFLOW_TYPES,
  type CertifyServerInput,
  type CertifyServerResult,
  type ConnectionTestResult,
  type InterpretRunInput,
  type ListToolsInput,
  type ServerActivities,
} from '@manifold/workflows';

/** The schedule that re-certifies servers (new versions, tool changes, and a daily sweep). */
export const RECERTIFICATION_SCHEDULE_ID = 'manifold-recertification';
/** The schedule that starts runs whose start never reached Temporal and settles runs whose workflow is gone. */
export const RUN_SWEEP_SCHEDULE_ID = 'manifold-run-sweep';

/** runWorkflowId(runId) is this + runId. */
const RUN_WORKFLOW_PREFIX = runWorkflowId('');
/** How long a request waits for Temporal before it answers without it (503, or a run left for the sweep). */
const REQUEST_DEADLINE_MS = 3_000;
/** A worker polls again at least every ~70 s (long polls); one not seen for longer is gone. */
const POLLER_STALE_MS = 2 * 60_000;

/** What Temporal says about a run's workflow; `null` from describeRun when Temporal never had it. */
export interface RunWorkflowState {
  status: WorkflowExecutionStatusName;
  /** Why it closed, from its close event: the termination reason, or the failure's message. */
  reason?: string;
}

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Encrypts every payload sent to Temporal (createPayloadCodec from @manifold/secrets); the worker uses the same. */
  payloadCodec?: PayloadCodec | undefined;
}

export interface TemporalGateway {
  startRun(input: InterpretRunInput): Promise<void>;
  /** Requests cancellation of a run's workflow; in-flight calls are cancelled and the run ends `cancelled`. */
  cancelRun(runId: string): Promise<void>;
  listTools(input: ListToolsInput): Promise<Awaited<ReturnType<ServerActivities['refreshToolsSnapshot']>>>;
  isReachable(): Promise<boolean>;
  /** Runs the certification workflow on the worker and waits for the result. */
  certify(input: CertifyServerInput): Promise<CertifyServerResult>;
  /** Runs initialize + tools/list on the worker for an installation, timed. */
  testConnection(input: ListToolsInput): Promise<ConnectionTestResult>;
  /** Creates the re-certification schedule unless it exists (idempotent). */
  ensureRecertificationSchedule(every: string): Promise<void>;
  /** Creates the run sweep schedule unless it exists (idempotent). */
  ensureRunSweepSchedule(every: string): Promise<void>;
  /** The run's workflow as Temporal knows it, or null when it was never started. */
  describeRun(runId: string): Promise<RunWorkflowState | null>;
  /** Runs whose workflow closed (any way) since `since`, from Temporal's visibility store; at most `limit`. */
  listClosedRunIds(since: Date, limit: number): Promise<string[]>;
  /** Workers that polled the task queue recently (DescribeTaskQueue); an unreachable Temporal throws. */
  countPollers(): Promise<number>;
  close(): Promise<void>;
}

export function createTemporalGateway(settings: TemporalSettings): TemporalGateway {
  let connecting: Promise<{ connection: Connection; client: Client }> | undefined;
  const connect = () =>
    (connecting ??= Connection.connect({ address: settings.address, connectTimeout: '5s' })
      .then((connection) => ({
        connection,
        client: new Client({
          connection,
          namespace: settings.namespace,
          ...(settings.payloadCodec ? { dataConverter: { payloadCodecs: [settings.payloadCodec] } } : {}),
        }),
      }))
      .catch((error: unknown) => {
        connecting = undefined; // try again on the next call
        throw new AppError('unavailable', `Temporal at ${settings.address} is not reachable. Is \`npm start\` running?`, { cause: error });
      }));

  /** Runs a workflow on the worker and waits; its failure becomes `upstream_failed` with the worker's own message. */
  async function executeOnWorker<R>(type: string, workflowId: string, input: unknown, timeout: Duration, failed: string): Promise<R> {
    try {
      return await (
        await connect()
      ).client.workflow.execute(type, {
        taskQueue: settings.taskQueue,
        workflowId,
        args: [input],
        workflowExecutionTimeout: timeout,
      });
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        const cause: unknown = error.cause?.cause ?? error.cause;
        throw new AppError('upstream_failed', `${failed}: ${cause instanceof Error ? cause.message : error.message}`, { cause: error });
      }
      throw error;
    }
  }

  return {
    async startRun(input) {
      try {
        await withinDeadline(REQUEST_DEADLINE_MS, async () => {
          const { connection, client } = await connect();
          await connection.withDeadline(Date.now() + REQUEST_DEADLINE_MS, () =>
            client.workflow.start(WORKFLOW_TYPES.interpretRun, {
              taskQueue: settings.taskQueue,
              workflowId: runWorkflowId(input.runId),
              args: [input],
              // A repeated start (a retried request) attaches to the run that exists, never starts a second one.
              workflowIdConflictPolicy: 'USE_EXISTING',
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
            }),
          );
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return; // it ran already: nothing to do
        throw asUnavailable(error);
      }
    },

    async cancelRun(runId) {
      try {
        await withinDeadline(REQUEST_DEADLINE_MS, async () => {
          const { connection, client } = await connect();
          await connection.withDeadline(Date.now() + REQUEST_DEADLINE_MS, () => client.workflow.getHandle(runWorkflowId(runId)).cancel());
        });
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return; // never started or already gone
        throw asUnavailable(error);
      }
    },

    async describeRun(runId) {
      const { connection, client } = await connect();
      const workflowId = runWorkflowId(runId);
      let status: RunWorkflowState['status'];
      try {
        status = (await connection.withDeadline(Date.now() + 10_000, () => client.workflow.getHandle(workflowId).describe())).status.name;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw asUnavailable(error);
      }
      if (status === 'RUNNING' || status === 'COMPLETED' || status === 'CONTINUED_AS_NEW') return { status };
      // Only the close event, not the whole history: it says why (a termination's reason, a failure's message).
      const history = await connection
        .withDeadline(Date.now() + 10_000, () =>
          connection.workflowService.getWorkflowExecutionHistory({
            namespace: settings.namespace,
            execution: { workflowId },
            historyEventFilterType: 2, // HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT
          }),
        )
        .catch((error: unknown) => {
          throw asUnavailable(error);
        });
      const close = history.history?.events?.at(-1);
      const reason =
        close?.workflowExecutionTerminatedEventAttributes?.reason ??
        close?.workflowExecutionFailedEventAttributes?.failure?.message ??
        undefined;
      return reason ? { status, reason } : { status };
    },

    async listClosedRunIds(since, limit) {
      const { client } = await connect();
      const ids: string[] = [];
      const query = `WorkflowType = '${WORKFLOW_TYPES.interpretRun}' AND ExecutionStatus != 'Running' AND CloseTime > '${since.toISOString()}'`;
      try {
        for await (const execution of client.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
          if (execution.workflowId.startsWith(RUN_WORKFLOW_PREFIX)) ids.push(execution.workflowId.slice(RUN_WORKFLOW_PREFIX.length));
          if (ids.length >= limit) break;
        }
      } catch (error) {
        throw asUnavailable(error);
      }
      return ids;
    },

    async countPollers() {
      const { connection } = await connect();
      const described = await connection.withDeadline(Date.now() + REQUEST_DEADLINE_MS, () =>
        connection.workflowService.describeTaskQueue({
          namespace: settings.namespace,
          taskQueue: { name: settings.taskQueue },
          taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW: every worker polls it
        }),
      );
      const now = Date.now();
      return (described.pollers ?? []).filter((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
        return now - seconds * 1000 < POLLER_STALE_MS;
      }).length;
    },

    listTools: (input) =>
      executeOnWorker(
        WORKFLOW_TYPES.listServerTools,
        `list-tools-${input.installationId}-${Date.now()}`,
        input,
        '90s',
        'Listing tools failed',
      ),

    certify: (input) =>
      executeOnWorker(WORKFLOW_TYPES.certifyServer, `certify-${input.serverId}-${Date.now()}`, input, '10m', 'Certification failed'),

    async testConnection(input) {
      return (await connect()).client.workflow.execute(WORKFLOW_TYPES.testServerConnection, {
        taskQueue: settings.taskQueue,
        workflowId: `test-connection-${input.installationId}-${Date.now()}`,
        args: [input],
        workflowExecutionTimeout: '90s',
      });
    },

    async ensureRecertificationSchedule(every) {
      const { client } = await connect();
      try {
        await client.schedule.create({
          scheduleId: RECERTIFICATION_SCHEDULE_ID,
          spec: { intervals: [{ every: every as `${number}h` }] },
          action: { type: 'startWorkflow', workflowType: WORKFLOW_TYPES.recertifyServers, taskQueue: settings.taskQueue, args: [] },
          policies: { overlap: 'SKIP' },
        });
      } catch (error) {
        if (error instanceof Error && error.name === 'ScheduleAlreadyRunning') return;
        throw error;
      }
    },

    async ensureRunSweepSchedule(every) {
      const { client } = await connect();
      try {
        await client.schedule.create({
          scheduleId: RUN_SWEEP_SCHEDULE_ID,
          spec: { intervals: [{ every: every as `${number}s` }] },
          action: { type: 'startWorkflow', workflowType: WORKFLOW_TYPES.sweepRuns, taskQueue: settings.taskQueue, args: [] },
          // A sweep missed while Temporal was down runs once when it returns: that is when queued runs can start.
          policies: { overlap: 'SKIP', catchupWindow: '1 day' },
        });
      } catch (error) {
        if (error instanceof Error && error.name === 'ScheduleAlreadyRunning') return;
        throw error;
      }
    },

    async isReachable() {
      try {
        await withinDeadline(REQUEST_DEADLINE_MS, async () => {
          const { connection } = await connect();
          await connection.withDeadline(Date.now() + REQUEST_DEADLINE_MS, () => connection.healthService.check({}));
        });
        return true;
      } catch {
        return false;
      }
    },

    async close() {
      if (!connecting) return;
      const connected = await connecting.catch(() => undefined);
      await connected?.connection.close();
    },
  };
}

/** Rejects with `unavailable` when `fn` takes longer than `ms` (a connect that hangs has no deadline of its own). */
async function withinDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(temporalUnavailable()), ms);
  });
  try {
    return await Promise.race([fn(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const temporalUnavailable = (cause?: unknown) =>
  new AppError('unavailable', 'The workflow engine (Temporal) is not reachable right now. Try again shortly.', {
    retryAfterSeconds: 5,
    ...(cause === undefined ? {} : { cause }),
  });

/** A gRPC failure to reach Temporal (unavailable, deadline exceeded, connect refused) becomes a 503 with Retry-After. */
function asUnavailable(error: unknown): unknown {
  if (error instanceof AppError) return error.code === 'unavailable' && !error.options.retryAfterSeconds ? temporalUnavailable(error) : error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  // gRPC status codes: 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE, 1 CANCELLED (our own deadline).
  if (code === 4 || code === 14 || code === 1) return temporalUnavailable(error);
  if (error instanceof Error && /ServiceError|UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED/.test(`${error.name} ${error.message}`)) return temporalUnavailable(error);
  return error;
}
