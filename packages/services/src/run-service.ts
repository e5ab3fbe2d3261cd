// Triggering and reading runs. A run row is written first, then the Temporal workflow is started with an
// id derived from the run: a retried request (same Idempotency-Key) lands on the same run and workflow.
import {
  AppError,
  createRunBody,
  isTerminalRunStatus,
  idempotencyKeySchema,
  listRunsQuery,
  notFound,
  parseOrThrow,
  workflowDefinitionSchema,
  type RunStatus,
  type WorkflowDefinition,
} from '@manifold/core';
import { LRUCache } from 'lru-cache';
import { createRetryRun, createRunOnce, finishRun, getRun, getWorkflowBySlug, listRuns, readRunPayload } from '@manifold/db';
import { canonicalJson, sha256Hex } from '@manifold/secrets';
import type { ActingContext, ServiceDeps } from './context';
import { validateAgainstSchema } from './input-schema';
import { assertRunMayStart } from './run-start-checks';
import { presentRun, presentRunSummary } from './run-presenter';
import { presentRunPayloads, type PayloadMode } from './run-payloads';
import { authorize } from './authorize';

/** Versions are immutable, so a version's parsed definition can be kept: parsing it was zod work on every start. */
const definitions = new LRUCache<string, WorkflowDefinition>({ max: 500 });
function parsedDefinition(versionId: string, raw: unknown): WorkflowDefinition {
  let definition = definitions.get(versionId);
  if (!definition) {
    definition = workflowDefinitionSchema.parse(raw);
    definitions.set(versionId, definition);
  }
  return definition;
}

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
      // Start unless it surely started before: a queued run may be a crash between insert and start.
      if (created || run.status === 'queued') await temporal.startRun({ teamId: ctx.teamId, runId: run.id, definition, input: body.input });
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
      return { runId: run.id, created, view };
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
    async retry(ctx: ActingContext, runId: string) {
      authorize(ctx, 'runs:write');
      const run = await getRun(db, ctx.teamId, runId);
      if (!run) throw notFound(`Run "${runId}"`);
      if (run.status !== 'failed' && run.status !== 'cancelled')
        throw new AppError('conflict', `Only a failed or cancelled run can be retried; run "${runId}" is ${run.status}.`);
      const definition = parsedDefinition(run.workflowVersionId, run.workflowVersion.definition);
      const topLevel = new Set(definition.steps.map((s) => s.id));
      const completed = Object.fromEntries(
        run.steps
          .filter((s) => topLevel.has(s.key) && (s.status === 'succeeded' || s.status === 'degraded' || s.status === 'skipped'))
          .map((s) => [s.key, s.output]),
      );
      const retry = await createRetryRun(db, ctx.teamId, run, ctx.actor, ctx.ip ?? null);
      await temporal.startRun({ teamId: ctx.teamId, runId: retry.id, definition, input: run.input as Record<string, unknown>, completed });
      return { runId: retry.id, retryOf: run.id };
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
