// Triggering and reading runs. A run row is written first, then the Temporal workflow is started with an
// id derived from the run: a retried request (same Idempotency-Key) lands on the same run and workflow.
// The queued run row is the outbox: if the start does not reach Temporal, the run sweep starts it later
// (run-reconciler.ts), from the row alone — so the request answers 202 with the run instead of failing.
import {
  AppError,
  createRunBody,
  isTerminalRunStatus,
  idempotencyKeySchema,
  listRunsQuery,
  notFound,
  parseOrThrow,
  reservedMarkerErrors,
  validationFailed,
  type RunStatus,
} from '@manifold/core';
import { createRetryRun, createRunOnce, finishRun, getRun, getWorkflowBySlug, listRuns, readRunPayload } from '@manifold/db';
import { parsedDefinition, startInputFor } from './run-start-input';
import { canonicalJson, sha256Hex } from '@manifold/secrets';
import type { ActingContext, ServiceDeps } from './context';
import { validateAgainstSchema } from './input-schema';
import { assertRunMayStart } from './run-start-checks';
import { presentRun, presentRunSummary } from './run-presenter';
import { presentRunPayloads, type PayloadMode } from './run-payloads';
import { authorize } from './authorize';

export function createRunService({ db, temporal }: ServiceDeps) {
  return {
    async trigger(ctx: ActingContext, raw: unknown, idempotencyKey: string | null) {
      authorize(ctx, 'runs:write');
      const body = parseOrThrow(createRunBody, raw);
      const key = idempotencyKey === null ? null : parseOrThrow(idempotencyKeySchema, idempotencyKey, 'Idempotency-Key');
      const workflow = await getWorkflowBySlug(db, ctx.teamId, body.workflow);
      if (!workflow) throw notFound(`Workflow "${body.workflow}"`);
      const definition = parsedDefinition(workflow.version.id, workflow.version.definition);
      validateAgainstSchema(definition.input, body.input, 'input');
      // A stored-value reference in the input would be resolved by the worker: only Manifold makes them.
      const forged = reservedMarkerErrors(body.input, 'input');
      if (forged.length) throw validationFailed(forged);
      await assertRunMayStart(db, ctx.teamId, definition);

      const { run, created } = await createRunOnce(db, ctx.teamId, {
        workflowId: workflow.id,
        workflowVersionId: workflow.version.id,
        input: body.input,
        idempotencyKey: key,
        requestHash: sha256Hex(canonicalJson(body)),
        actor: ctx.actor,
        ip: ctx.ip ?? null,
      });
      // Start unless it surely started before: a queued run may be a crash between insert and start. A replayed
      // request starts the run's own (pinned) version, which need not be the workflow's current one.
      let dispatched = true;
      if (created || run.status === 'queued') {
        const start = created
          ? { teamId: ctx.teamId, runId: run.id, definition, input: body.input }
          : await startInputFor(db, ctx.teamId, run.id);
        dispatched = await startOrLeaveQueued(() => temporal.startRun(start));
      }
      // A new run as created (queued, no steps yet), from what is in hand: re-reading it cost the REST
      // trigger one more transaction. A replayed request re-reads (the run may have moved on).
      const view = created
        ? presentRun({
            ...run,
            workflow: { slug: workflow.slug, name: workflow.name },
            workflowVersion: { version: workflow.version.version, definition: workflow.version.definition },
            steps: [],
          })
        : undefined;
      return { runId: run.id, created, view, dispatched };
    },

    /** Cancels a queued or running run: its in-flight calls are cancelled and it ends `cancelled`. */
    async cancel(ctx: ActingContext, runId: string) {
      authorize(ctx, 'runs:write');
      const run = await getRun(db, ctx.teamId, runId);
      if (!run) throw notFound(`Run "${runId}"`);
      if (isTerminalRunStatus(run.status as RunStatus)) throw new AppError('conflict', `Run "${runId}" already ended (${run.status}).`);
      await temporal.cancelRun(runId);
      // A queued run whose workflow never started has nothing to cancel it in Temporal: end it here.
      if (run.status === 'queued') await finishRun(db, ctx.teamId, runId, { status: 'cancelled' });
      return { runId };
    },

    /**
     * Starts a new run that continues a failed (or cancelled) one from its failed step: same workflow version
     * and input; the top-level steps that succeeded are not run again, their outputs are reused.
     */
    async retry(ctx: ActingContext, runId: string, idempotencyKey: string | null = null) {
      authorize(ctx, 'runs:write');
      const key = idempotencyKey === null ? null : parseOrThrow(idempotencyKeySchema, idempotencyKey, 'Idempotency-Key');
      const run = await getRun(db, ctx.teamId, runId);
      if (!run) throw notFound(`Run "${runId}"`);
      if (run.status !== 'failed' && run.status !== 'cancelled')
        throw new AppError('conflict', `Only a failed or cancelled run can be retried; run "${runId}" is ${run.status}.`);
      const { run: retry, created } = await createRetryRun(db, ctx.teamId, run, ctx.actor, ctx.ip ?? null, key);
      const dispatched =
        created || retry.status === 'queued'
          ? await startOrLeaveQueued(async () => temporal.startRun(await startInputFor(db, ctx.teamId, retry.id)))
          : true;
      return { runId: retry.id, retryOf: run.id, created, dispatched };
    },

    /** The run; stored values resolved (the API) or, with `payloads: 'preview'`, truncated (the dashboard). */
    async get(ctx: ActingContext, runId: string, options: { payloads?: PayloadMode } = {}) {
      authorize(ctx, 'runs:read');
      const run = await getRun(db, ctx.teamId, runId);
      if (!run) throw notFound(`Run "${runId}"`);
      return presentRunPayloads(db, ctx.teamId, presentRun(run), options.payloads ?? 'resolve');
    },

    /** One stored value of a run, whole, as JSON text (the dashboard's download). */
    async payload(ctx: ActingContext, runId: string, payloadId: string) {
      authorize(ctx, 'runs:read');
      const payload = await readRunPayload(db, ctx.teamId, payloadId);
      // A retry's steps may keep the stored values of the run it continues: the team wall is the check.
      if (!payload) throw notFound(`Stored value "${payloadId}" of run "${runId}"`);
      return { id: payload.id, bytes: payload.bytes, body: payload.body };
    },

    async list(ctx: ActingContext, rawQuery: unknown) {
      authorize(ctx, 'runs:read');
      const query = parseOrThrow(listRunsQuery, rawQuery);
      const page = await listRuns(db, ctx.teamId, {
        limit: query.limit,
        ...(query.workflow ? { workflowSlug: query.workflow } : {}),
        ...(query.status ? { status: query.status as RunStatus } : {}),
        ...(query.since ? { since: query.since } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return { items: page.items.map(presentRunSummary), nextCursor: page.nextCursor };
    },
  };
}

/**
 * Starts a run's workflow; when Temporal cannot be reached the run stays queued (its row is the outbox) and the
 * run sweep starts it once Temporal is back. Returns whether the start reached Temporal.
 */
async function startOrLeaveQueued(start: () => Promise<void>): Promise<boolean> {
  try {
    await start();
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'unavailable') return false;
    throw error;
  }
}
