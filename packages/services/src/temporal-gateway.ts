// The one place the web app and CLI talk to Temporal: a lazily connected client plus the calls we make.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
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
        await (
          await connect()
        ).client.workflow.start(WORKFLOW_TYPES.interpretRun, {
          taskQueue: settings.taskQueue,
          workflowId: runWorkflowId(input.runId),
          args: [input],
          // A repeated start (a retried request) attaches to the run that exists, never starts a second one.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return; // it ran already: nothing to do
        throw error;
      }
    },

    async cancelRun(runId) {
      try {
        await (await connect()).client.workflow.getHandle(runWorkflowId(runId)).cancel();
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return; // never started or already gone
        throw error;
      }
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

    async isReachable() {
      try {
        const { connection } = await connect();
        await connection.healthService.check({});
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
