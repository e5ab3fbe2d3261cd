// Reconciliation's reads and writes: the runs Postgres still holds open, and ending one Temporal no longer runs.
import type { Database, SystemDatabase } from './client';
import { toJson } from './json';
import { inTeam } from './tenant';

export interface UnsettledRun {
  id: string;
  teamId: string;
  status: 'queued' | 'running';
  createdAt: Date;
}

const unsettled = { id: true, teamId: true, status: true, createdAt: true } as const;
const toUnsettled = (row: { id: string; teamId: string; status: string; createdAt: Date }): UnsettledRun => ({
  ...row,
  status: row.status as UnsettledRun['status'],
});

/**
 * Runs still in `status` that were created before `createdBefore`, oldest first, across every team (the sweep is
 * the system's; it reads ids only and acts on each run through its team).
 */
export async function listUnsettledRuns(
  system: SystemDatabase,
  filter: { status: 'queued' | 'running'; createdBefore: Date; limit: number },
): Promise<UnsettledRun[]> {
  const rows = await system.run.findMany({
    where: { status: filter.status, createdAt: { lt: filter.createdBefore } },
    orderBy: { createdAt: 'asc' },
    take: filter.limit,
    select: unsettled,
  });
  return rows.map(toUnsettled);
}

/** Of these run ids, the runs still `queued` or `running` (any team). */
export async function findUnsettledRuns(system: SystemDatabase, runIds: string[]): Promise<UnsettledRun[]> {
  if (runIds.length === 0) return [];
  const rows = await system.run.findMany({ where: { id: { in: runIds }, status: { in: ['queued', 'running'] } }, select: unsettled });
  return rows.map(toUnsettled);
}

/**
 * Ends a run whose workflow is gone, with why; its steps and attempts still open end with it (their worker will
 * never write them). Only an open run moves: if the workflow recorded its own end meanwhile, that end stands.
 * Returns whether this call ended the run.
 */
export async function settleRun(
  db: Database,
  teamId: string,
  runId: string,
  result: { status: 'failed' | 'cancelled'; error: { errorClass: string; message: string } | null },
): Promise<boolean> {
  const now = new Date();
  return inTeam(db, teamId, async (tx) => {
    const moved = await tx.run.updateMany({
      where: { id: runId, teamId, status: { in: ['queued', 'running'] } },
      data: { status: result.status, error: toJson(result.error), finishedAt: now },
    });
    if (moved.count === 0) return false;
    const stepError = result.error ?? { errorClass: 'cancelled', message: 'The run was cancelled.' };
    await tx.stepAttempt.updateMany({
      where: { teamId, status: 'running', runStep: { runId } },
      data: { status: 'failed', finishedAt: now, errorClass: stepError.errorClass, errorMessage: stepError.message },
    });
    await tx.runStep.updateMany({
      where: { teamId, runId, status: { in: ['pending', 'running', 'waiting'] } },
      data: { status: result.status, error: toJson(stepError), finishedAt: now },
    });
    return true;
  });
}
