// Runs, their steps and attempts. Writes that activities make are idempotent: an activity retried after a
// crash repeats the same upserts and never duplicates rows.
import { AppError, type RunStatus } from '@manifold/core';
import { isUniqueViolation, type Database } from './client';
import { recordAudit, type Actor } from './audit';
import { toJson } from './json';
import { inTeam } from './tenant';
import { type Prisma } from './generated/prisma/client';

export interface NewRun {
  workflowId: string;
  workflowVersionId: string;
  input: Record<string, unknown>;
  idempotencyKey: string | null;
  requestHash: string;
  actor: Actor;
  ip?: string | null;
}

/**
 * Creates the run, or returns the one an earlier request with the same idempotency key created.
 * The same key with a different request body is a conflict.
 */
export async function createRunOnce(db: Database, teamId: string, run: NewRun): Promise<{ run: RunRow; created: boolean }> {
  try {
    const created = await inTeam(db, teamId, async (tx) => {
      const row = await tx.run.create({
        data: {
          teamId,
          workflowId: run.workflowId,
          workflowVersionId: run.workflowVersionId,
          input: toJson(run.input),
          idempotencyKey: run.idempotencyKey,
          requestHash: run.requestHash,
          triggeredBy: `${run.actor.type}:${run.actor.id ?? ''}`,
        },
      });
      await recordAudit(tx, teamId, { actor: run.actor, action: 'run.triggered', targetType: 'run', targetId: row.id, ip: run.ip ?? null });
      return row;
    });
    return { run: created, created: true };
  } catch (error) {
    if (!run.idempotencyKey || !isUniqueViolation(error)) throw error;
    const key = run.idempotencyKey;
    const existing = await inTeam(db, teamId, (tx) =>
      tx.run.findUniqueOrThrow({ where: { teamId_idempotencyKey: { teamId, idempotencyKey: key } } }),
    );
    if (existing.requestHash !== run.requestHash)
      throw new AppError(
        'idempotency_conflict',
        'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
      );
    return { run: existing, created: false };
  }
}

export type RunRow = Prisma.RunGetPayload<object>;

const runDetail = {
  workflow: { select: { slug: true, name: true } },
  workflowVersion: { select: { version: true, definition: true } },
  steps: { orderBy: { createdAt: 'asc' }, include: { attempts: { orderBy: { attempt: 'asc' } } } },
} satisfies Prisma.RunInclude;

export type RunDetail = Prisma.RunGetPayload<{ include: typeof runDetail }>;

export async function getRun(db: Database, teamId: string, runId: string): Promise<RunDetail | null> {
  return inTeam(db, teamId, (tx) => tx.run.findFirst({ where: { id: runId, teamId }, include: runDetail }));
}

export async function listRuns(
  db: Database,
  teamId: string,
  filter: { workflowSlug?: string; status?: RunStatus; since?: Date; cursor?: string; limit: number },
) {
  const rows = await inTeam(db, teamId, (tx) =>
    tx.run.findMany({
      where: {
        teamId,
        ...(filter.workflowSlug ? { workflow: { slug: filter.workflowSlug } } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.since ? { createdAt: { gte: filter.since } } : {}),
        ...(filter.cursor ? { id: { lt: filter.cursor } } : {}),
      },
      orderBy: { id: 'desc' },
      take: filter.limit + 1,
      include: { workflow: { select: { slug: true, name: true } }, workflowVersion: { select: { version: true } } },
    }),
  );
  return { items: rows.slice(0, filter.limit), nextCursor: rows.length > filter.limit ? rows[filter.limit - 1]!.id : null };
}

// ------------------------------------------------------------------ writes made by the worker

export async function markRunRunning(db: Database, teamId: string, runId: string): Promise<void> {
  await inTeam(db, teamId, (tx) =>
    tx.run.updateMany({ where: { id: runId, teamId, status: 'queued' }, data: { status: 'running', startedAt: new Date() } }),
  );
}

export async function finishRun(
  db: Database,
  teamId: string,
  runId: string,
  result: { status: 'succeeded' | 'failed' | 'cancelled'; output?: unknown; error?: unknown },
): Promise<void> {
  await inTeam(db, teamId, (tx) =>
    tx.run.updateMany({
      where: { id: runId, teamId, status: { in: ['queued', 'running'] } },
      data: { status: result.status, output: toJson(result.output ?? null), error: toJson(result.error ?? null), finishedAt: new Date() },
    }),
  );
}

export interface AttemptStart {
  runId: string;
  stepKey: string;
  stepId: string;
  kind: string;
  input: unknown;
  attempt: number;
  idempotencyKey: string;
}

/** An earlier attempt of the same step, as the next attempt finds it. */
export interface PriorAttempt {
  attempt: number;
  /** `running` here means that attempt's worker vanished mid-call (it is closed now as `outcome_unknown`). */
  status: 'running' | 'succeeded' | 'failed';
  errorClass: string | null;
}

/**
 * Opens (or re-opens after a crash) the step and its attempt row; returns their ids. From the second attempt
 * on it also returns the earlier attempts, closing any left `running` by a worker that died mid-call.
 */
export async function beginAttempt(
  db: Database,
  teamId: string,
  start: AttemptStart,
): Promise<{ runStepId: string; attemptId: string; priorAttempts: PriorAttempt[] }> {
  const now = new Date();
  return inTeam(db, teamId, async (tx) => {
    const step = await tx.runStep.upsert({
      where: { runId_key: { runId: start.runId, key: start.stepKey } },
      create: {
        teamId,
        runId: start.runId,
        key: start.stepKey,
        stepId: start.stepId,
        kind: start.kind,
        status: 'running',
        input: toJson(start.input),
        startedAt: now,
      },
      update: { status: 'running', input: toJson(start.input) },
    });
    const attempt = await tx.stepAttempt.upsert({
      where: { runStepId_attempt: { runStepId: step.id, attempt: start.attempt } },
      create: {
        teamId,
        runStepId: step.id,
        attempt: start.attempt,
        status: 'running',
        idempotencyKey: start.idempotencyKey,
        startedAt: now,
      },
      update: { status: 'running', startedAt: now, finishedAt: null, errorClass: null, errorMessage: null },
    });
    if (start.attempt === 1) return { runStepId: step.id, attemptId: attempt.id, priorAttempts: [] };
    const prior = await tx.stepAttempt.findMany({
      where: { runStepId: step.id, attempt: { lt: start.attempt } },
      select: { attempt: true, status: true, errorClass: true },
      orderBy: { attempt: 'asc' },
    });
    if (prior.some((p) => p.status === 'running'))
      await tx.stepAttempt.updateMany({
        where: { runStepId: step.id, attempt: { lt: start.attempt }, status: 'running' },
        data: {
          status: 'failed',
          finishedAt: now,
          errorClass: 'outcome_unknown',
          errorMessage: 'The worker stopped during this attempt; its outcome is unknown.',
        },
      });
    return { runStepId: step.id, attemptId: attempt.id, priorAttempts: prior };
  });
}

export async function finishAttempt(
  db: Database,
  teamId: string,
  attemptId: string,
  result: { status: 'succeeded' | 'failed'; latencyMs: number; errorClass?: string; errorMessage?: string },
): Promise<void> {
  await inTeam(db, teamId, (tx) =>
    tx.stepAttempt.updateMany({
      where: { id: attemptId, teamId },
      data: {
        status: result.status,
        finishedAt: new Date(),
        latencyMs: result.latencyMs,
        errorClass: result.errorClass ?? null,
        errorMessage: result.errorMessage ?? null,
      },
    }),
  );
}

export async function finishStep(
  db: Database,
  teamId: string,
  runId: string,
  step: { key: string; stepId: string; kind: string },
  result: { status: 'succeeded' | 'failed' | 'degraded' | 'cancelled' | 'skipped'; output?: unknown; error?: unknown; startedAt?: Date },
): Promise<void> {
  // Upsert: a step can fail before any attempt (e.g. its arguments do not render), and container steps
  // (map, parallel, choice, wait) are written once, when they end, with the time they began.
  const now = new Date();
  const data = { status: result.status, output: toJson(result.output ?? null), error: toJson(result.error ?? null), finishedAt: now };
  await inTeam(db, teamId, (tx) =>
    tx.runStep.upsert({
      where: { runId_key: { runId, key: step.key } },
      create: { teamId, runId, key: step.key, stepId: step.stepId, kind: step.kind, startedAt: result.startedAt ?? now, ...data },
      update: data,
    }),
  );
}

/** A new run that continues `previous` from its failed step: same workflow version and input, linked back. */
export async function createRetryRun(
  db: Database,
  teamId: string,
  previous: { id: string },
  actor: Actor,
  ip?: string | null,
): Promise<RunRow> {
  return inTeam(db, teamId, async (tx) => {
    const old = await tx.run.findFirstOrThrow({ where: { id: previous.id, teamId } });
    const row = await tx.run.create({
      data: {
        teamId,
        workflowId: old.workflowId,
        workflowVersionId: old.workflowVersionId,
        input: toJson(old.input),
        retryOfRunId: old.id,
        triggeredBy: `${actor.type}:${actor.id ?? ''}`,
      },
    });
    await recordAudit(tx, teamId, {
      actor,
      action: 'run.retried',
      targetType: 'run',
      targetId: row.id,
      metadata: { retryOf: old.id },
      ip: ip ?? null,
    });
    return row;
  });
}

/** Closes a successful attempt and its step in one transaction (one commit instead of two per call). */
export async function finishSuccessfulAttempt(
  db: Database,
  teamId: string,
  attemptId: string,
  latencyMs: number,
  runId: string,
  step: { key: string; stepId: string; kind: string },
  output: unknown,
): Promise<void> {
  const now = new Date();
  await inTeam(db, teamId, async (tx) => {
    await tx.stepAttempt.updateMany({
      where: { id: attemptId, teamId },
      data: { status: 'succeeded', finishedAt: now, latencyMs, errorClass: null, errorMessage: null },
    });
    await tx.runStep.updateMany({
      where: { runId, key: step.key, teamId },
      data: { status: 'succeeded', output: toJson(output ?? null), error: toJson(null), finishedAt: now },
    });
  });
}
