// Triggering and reading runs. A run row is written first, then the Temporal workflow is started with an
// id derived from the run: a retried request (same Idempotency-Key) lands on the same run and workflow.
import {
  createRunBody,
  idempotencyKeySchema,
  listRunsQuery,
  notFound,
  parseOrThrow,
  workflowDefinitionSchema,
  type RunStatus,
} from '@manifold/core';
import { createRunOnce, getRun, getWorkflowBySlug, listRuns } from '@manifold/db';
import { canonicalJson, sha256Hex } from '@manifold/secrets';
import type { ActingContext, ServiceDeps } from './context';
import { validateAgainstSchema } from './input-schema';
import { assertRunMayStart } from './run-start-checks';
import { presentRun, presentRunSummary } from './run-presenter';
import { authorize } from './authorize';

export function createRunService({ db, temporal }: ServiceDeps) {
  return {
    async trigger(ctx: ActingContext, raw: unknown, idempotencyKey: string | null) {
      authorize(ctx, 'runs:write');
      const body = parseOrThrow(createRunBody, raw);
      const key = idempotencyKey === null ? null : parseOrThrow(idempotencyKeySchema, idempotencyKey, 'Idempotency-Key');
      const workflow = await getWorkflowBySlug(db, ctx.teamId, body.workflow);
      if (!workflow) throw notFound(`Workflow "${body.workflow}"`);
      const definition = workflowDefinitionSchema.parse(workflow.version.definition);
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
      return { runId: run.id, created };
    },

    async get(ctx: ActingContext, runId: string) {
      authorize(ctx, 'runs:read');
      const run = await getRun(db, ctx.teamId, runId);
      if (!run) throw notFound(`Run "${runId}"`);
      return presentRun(run);
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
