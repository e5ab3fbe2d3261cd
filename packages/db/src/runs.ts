// Runs, their steps and attempts. Writes that activities make are idempotent: an activity retried after a
// crash repeats the same upserts and never duplicates rows.
import { AppError, type RunStatus } from '@manifold/core';
import { isUniqueViolation, type Database } from './client';
import { recordAudit, type Actor } from './audit';
import { toJson, toText } from './json';
import { inTeam, type Tx } from './tenant';
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
      include: {
        workflow: { select: { slug: true, name: true } },
        workflowVersion: { select: { version: true } },
        // A run sleeping in a wait step says until when (the earliest, with waits in parallel branches).
        steps: { where: { status: 'waiting' }, select: { status: true, wakeAt: true }, orderBy: { wakeAt: 'asc' }, take: 1 },
      },
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
  /** Steps that ended right before the run, written in the same transaction (first). */
  steps: Array<{ step: StepRef; result: StepResult }> = [],
): Promise<void> {
  await inTeam(db, teamId, async (tx) => {
    for (const ended of steps) await upsertStepEnd(tx, teamId, runId, ended.step, ended.result);
    await tx.run.updateMany({
      where: { id: runId, teamId, status: { in: ['queued', 'running'] } },
      data: { status: result.status, output: toJson(result.output ?? null), error: toJson(result.error ?? null), finishedAt: new Date() },
    });
  });
}

export interface AttemptStart {
  runId: string;
  stepKey: string;
  stepId: string;
  kind: string;
  input: unknown;
  /** Temporal's attempt number; the recorded number may be higher (see attemptNumber). */
  attempt: number;
  idempotencyKey: string;
  /** When the call began (defaults to now): a call recorded only when it ends passes its real start. */
  startedAt?: Date;
}

/** An earlier attempt of the same step, as the next attempt finds it. */
export interface PriorAttempt {
  attempt: number;
  /** `running` here means that attempt's worker vanished mid-call (it is closed now as `outcome_unknown`). */
  status: 'running' | 'succeeded' | 'failed';
  errorClass: string | null;
}

/** The step already succeeded (a call repeated after its worker died before Temporal learnt the result): reuse its output. */
export interface StepAlreadySucceeded {
  alreadySucceeded: true;
  output: unknown;
}

const CRASHED_ATTEMPT = {
  status: 'failed',
  errorClass: 'outcome_unknown',
  errorMessage: 'The worker stopped during this attempt; its outcome is unknown.',
} as const;

/**
 * The number an attempt is recorded under: Temporal's attempt number, but always past every attempt already
 * recorded. A local activity restarts at attempt 1 when its workflow task is retried after a worker died, so
 * Temporal's number alone would overwrite the dead attempt's row (and lose the repeat guard's evidence).
 */
function attemptNumber(requested: number, prior: Array<{ attempt: number }>): number {
  return Math.max(requested, ...prior.map((p) => p.attempt + 1));
}

/** A step whose attempt is recorded after a success is written closed at once; otherwise it is running. */
function stepState(now: Date, succeeded?: { output: unknown }) {
  return succeeded
    ? { status: 'succeeded' as const, output: toJson(succeeded.output ?? null), error: toJson(null), finishedAt: now }
    : { status: 'running' as const };
}

function newStepRow(teamId: string, start: AttemptStart, now: Date, succeeded?: { output: unknown }) {
  return {
    teamId,
    runId: start.runId,
    key: start.stepKey,
    stepId: start.stepId,
    kind: start.kind,
    input: toJson(start.input),
    startedAt: start.startedAt ?? now,
    ...stepState(now, succeeded),
  };
}

/** The step's row and its recorded attempts, or the output if the step already succeeded. */
async function openStep(tx: Tx, teamId: string, start: AttemptStart, now: Date, succeeded?: { output: unknown }) {
  const existing = await tx.runStep.findUnique({
    where: { runId_key: { runId: start.runId, key: start.stepKey } },
    select: { id: true, status: true, output: true },
  });
  if (existing?.status === 'succeeded') return { alreadySucceeded: true as const, output: existing.output };
  const step = existing
    ? await tx.runStep.update({
        where: { id: existing.id },
        data: { ...stepState(now, succeeded), input: toJson(start.input) },
        select: { id: true },
      })
    : await tx.runStep.create({ data: newStepRow(teamId, start, now, succeeded), select: { id: true } });
  const prior: PriorAttempt[] = existing
    ? await tx.stepAttempt.findMany({
        where: { runStepId: step.id },
        select: { attempt: true, status: true, errorClass: true },
        orderBy: { attempt: 'asc' },
      })
    : [];
  const attempt = attemptNumber(start.attempt, prior);
  if (prior.some((p) => p.status === 'running'))
    await tx.stepAttempt.updateMany({ where: { runStepId: step.id, status: 'running' }, data: { ...CRASHED_ATTEMPT, finishedAt: now } });
  return { alreadySucceeded: false as const, runStepId: step.id, attempt, prior };
}

/**
 * Opens (or re-opens after a crash) the step and a new attempt row before a call; returns their ids and the
 * earlier attempts, closing any left `running` by a worker that died mid-call. If the step already succeeded,
 * returns its output instead: the call must not be made again.
 */
export async function beginAttempt(
  db: Database,
  teamId: string,
  start: AttemptStart,
): Promise<
  { alreadySucceeded: false; runStepId: string; attemptId: string; attempt: number; priorAttempts: PriorAttempt[] } | StepAlreadySucceeded
> {
  const now = new Date();
  return inTeam(db, teamId, async (tx) => {
    const step = await openStep(tx, teamId, start, now);
    if (step.alreadySucceeded) return step;
    const row = await tx.stepAttempt.create({
      data: {
        teamId,
        runStepId: step.runStepId,
        attempt: step.attempt,
        status: 'running',
        idempotencyKey: start.idempotencyKey,
        startedAt: start.startedAt ?? now,
      },
      select: { id: true },
    });
    return { alreadySucceeded: false, runStepId: step.runStepId, attemptId: row.id, attempt: step.attempt, priorAttempts: step.prior };
  });
}

/** An attempt that ended before any row was written for it. */
export interface EndedAttempt {
  start: AttemptStart;
  result: { status: 'succeeded' | 'failed'; latencyMs: number; output?: unknown; errorClass?: string; errorMessage?: string };
}

export type EndedAttemptRecord = StepAlreadySucceeded | { alreadySucceeded: false; attempt: number };

const stepKeyOf = (s: { runId: string; key: string }) => `${s.runId}\u0000${s.key}`;

function attemptRow(teamId: string, runStepId: string, attempt: number, { start, result }: EndedAttempt, now: Date) {
  return {
    teamId,
    runStepId,
    attempt,
    status: result.status,
    idempotencyKey: start.idempotencyKey,
    startedAt: start.startedAt ?? now,
    finishedAt: now,
    latencyMs: result.latencyMs,
    errorClass: result.errorClass ?? null,
    errorMessage: result.errorMessage === undefined ? null : toText(result.errorMessage),
  };
}

async function recordOneEndedAttempt(tx: Tx, teamId: string, ended: EndedAttempt, now: Date): Promise<EndedAttemptRecord> {
  const succeeded = ended.result.status === 'succeeded' ? { output: ended.result.output } : undefined;
  const step = await openStep(tx, teamId, ended.start, now, succeeded);
  if (step.alreadySucceeded) return step;
  await tx.stepAttempt.create({ data: attemptRow(teamId, step.runStepId, step.attempt, ended, now) });
  return { alreadySucceeded: false, attempt: step.attempt };
}

/**
 * Records attempts that have ended, each with its step, in one transaction (the worker groups the calls of a
 * fan-out or of many runs that end together): the path of short calls that opened no row before calling. A
 * success also closes its step. A step that already succeeded (the call was repeated after a crash) gets no
 * new row; its output is returned instead. Steps seen for the first time — nearly all — are written with
 * one multi-row insert per table; the others (retries, repeats) one by one.
 */
export async function recordEndedAttempts(db: Database, teamId: string, attempts: EndedAttempt[]): Promise<EndedAttemptRecord[]> {
  const now = new Date();
  return inTeam(db, teamId, async (tx) => {
    // One insert for the steps: those that exist already (a retry, a repeat) are skipped by the insert and
    // recorded one by one below. A step twice in one batch: its second attempt goes the one-by-one way too.
    const keys = attempts.map(({ start }) => stepKeyOf({ runId: start.runId, key: start.stepKey }));
    const seen = new Set<string>();
    const fresh: number[] = [];
    for (const [i, key] of keys.entries()) {
      if (!seen.has(key)) fresh.push(i);
      seen.add(key);
    }
    const created = await tx.runStep.createManyAndReturn({
      data: fresh.map((i) => {
        const { start, result } = attempts[i]!;
        return newStepRow(teamId, start, now, result.status === 'succeeded' ? { output: result.output } : undefined);
      }),
      skipDuplicates: true,
      select: { id: true, runId: true, key: true },
    });
    const ids = new Map(created.map((step) => [stepKeyOf(step), step.id]));
    const results = new Array<EndedAttemptRecord>(attempts.length);
    const inserted = fresh.filter((i) => ids.has(keys[i]!));
    if (inserted.length > 0)
      await tx.stepAttempt.createMany({
        data: inserted.map((i) => attemptRow(teamId, ids.get(keys[i]!)!, attempts[i]!.start.attempt, attempts[i]!, now)),
      });
    for (const i of inserted) results[i] = { alreadySucceeded: false, attempt: attempts[i]!.start.attempt };
    for (const [i, ended] of attempts.entries()) if (!results[i]) results[i] = await recordOneEndedAttempt(tx, teamId, ended, now);
    return results;
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
        errorMessage: result.errorMessage === undefined ? null : toText(result.errorMessage),
      },
    }),
  );
}

type StepRef = { key: string; stepId: string; kind: string };
type StepResult = {
  status: 'succeeded' | 'failed' | 'degraded' | 'cancelled' | 'skipped';
  output?: unknown;
  error?: unknown;
  startedAt?: Date;
};

// Upsert: a step can fail before any attempt (e.g. its arguments do not render), and container steps
// (map, parallel, choice, wait) are written once, when they end, with the time they began.
async function upsertStepEnd(tx: Tx, teamId: string, runId: string, step: StepRef, result: StepResult): Promise<void> {
  const now = new Date();
  const data = { status: result.status, output: toJson(result.output ?? null), error: toJson(result.error ?? null), finishedAt: now };
  await tx.runStep.upsert({
    where: { runId_key: { runId, key: step.key } },
    create: { teamId, runId, key: step.key, stepId: step.stepId, kind: step.kind, startedAt: result.startedAt ?? now, ...data },
    update: data,
  });
}

export async function finishStep(db: Database, teamId: string, runId: string, step: StepRef, result: StepResult): Promise<void> {
  await inTeam(db, teamId, (tx) => upsertStepEnd(tx, teamId, runId, step, result));
}

/**
 * A wait step as it starts waiting: `waiting`, with when it wakes. Only inserts: a repeated write (a retried
 * activity) or one that arrives after the step ended (a cancelled wait) leaves the row as it is.
 */
export async function recordStepWaiting(
  db: Database,
  teamId: string,
  runId: string,
  step: StepRef,
  wait: { startedAt: Date; wakeAt: Date },
): Promise<void> {
  await inTeam(db, teamId, (tx) =>
    tx.runStep.createMany({
      data: [{ teamId, runId, key: step.key, stepId: step.stepId, kind: step.kind, status: 'waiting', ...wait }],
      skipDuplicates: true,
    }),
  );
}

/**
 * A new run that continues `previous` (as the caller just read it) from its failed step: same workflow version and
 * input, linked back. With an idempotency key, a repeated retry (a double click) returns the run the first made;
 * the key used before for something else is a conflict.
 */
export async function createRetryRun(
  db: Database,
  teamId: string,
  previous: Pick<RunRow, 'id' | 'workflowId' | 'workflowVersionId' | 'input'>,
  actor: Actor,
  ip?: string | null,
  idempotencyKey: string | null = null,
): Promise<{ run: RunRow; created: boolean }> {
  const requestHash = `retry:${previous.id}`;
  try {
    const run = await inTeam(db, teamId, async (tx) => {
      const row = await tx.run.create({
        data: {
          teamId,
          workflowId: previous.workflowId,
          workflowVersionId: previous.workflowVersionId,
          input: toJson(previous.input),
          retryOfRunId: previous.id,
          idempotencyKey,
          requestHash: idempotencyKey === null ? null : requestHash,
          triggeredBy: `${actor.type}:${actor.id ?? ''}`,
        },
      });
      await recordAudit(tx, teamId, {
        actor,
        action: 'run.retried',
        targetType: 'run',
        targetId: row.id,
        metadata: { retryOf: previous.id },
        ip: ip ?? null,
      });
      return row;
    });
    return { run, created: true };
  } catch (error) {
    if (idempotencyKey === null || !isUniqueViolation(error)) throw error;
    const existing = await inTeam(db, teamId, (tx) =>
      tx.run.findUniqueOrThrow({ where: { teamId_idempotencyKey: { teamId, idempotencyKey } } }),
    );
    if (existing.requestHash !== requestHash)
      throw new AppError(
        'idempotency_conflict',
        'This Idempotency-Key was already used for another request. Use a new key for a new retry.',
      );
    return { run: existing, created: false };
  }
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
