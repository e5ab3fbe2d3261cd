// Reconciliation between Postgres (the run rows) and Temporal (their workflows): nothing stuck, nothing doubled.
// Run by the run sweep schedule on a worker. A queued run whose workflow Temporal never had is started from its row
// (the outbox of run-service.ts), at its pinned version; a run whose workflow is gone without recording its end is
// settled with why. Every write only moves an open run, so a workflow that records its own end meanwhile wins.
import { AppError } from '@manifold/core';
import { findUnsettledRuns, listUnsettledRuns, settleRun, type Database, type SystemDatabase, type UnsettledRun } from '@manifold/db';
import type { SweepRunsInput, SweepRunsResult } from '@manifold/workflows';
import { startInputFor } from './run-start-input';
import type { RunWorkflowState, TemporalGateway } from './temporal-gateway';

/** Why the sweep ended a run: the `errorClass` of its error (besides a cancelled workflow, which ends `cancelled`). */
export const RUN_SETTLEMENT_CLASSES = {
  /** Someone terminated the workflow in Temporal (the message carries their reason). */
  terminated: 'workflow_terminated',
  /** The workflow hit its execution or run timeout. */
  timedOut: 'workflow_timed_out',
  /** The workflow failed before it could record the run's end (e.g. the record write itself kept failing). */
  failed: 'workflow_failed',
  /** The workflow completed but the run's end was never recorded. */
  unrecorded: 'workflow_unrecorded',
  /** The run was marked running, yet Temporal has no workflow for it (e.g. history removed after retention). */
  lost: 'workflow_lost',
  /** Temporal stayed unreachable, or refused the start, for longer than the run may wait to start. */
  neverStarted: 'never_started',
} as const;

export const SWEEP_DEFAULTS = { startGraceMs: 10_000, neverStartedAfterMs: 24 * 60 * 60_000, limit: 500, closedLookbackMs: 60 * 60_000 } as const;
/** Runs checked at once: each is one or two Temporal calls. */
const CONCURRENCY = 8;

type Settlement = { status: 'failed' | 'cancelled'; error: { errorClass: string; message: string } | null };

export function createRunReconciler({ db, system, temporal }: { db: Database; system: SystemDatabase; temporal: TemporalGateway }) {
  async function reconcile(run: UnsettledRun, options: Required<SweepRunsInput>, now: number): Promise<'started' | Settlement | null> {
    const state = await temporal.describeRun(run.id);
    if (state === null) {
      if (run.status === 'running')
        return fail(RUN_SETTLEMENT_CLASSES.lost, 'The run was running, but Temporal has no workflow for it any more.');
      if (now - run.createdAt.getTime() > options.neverStartedAfterMs)
        return fail(RUN_SETTLEMENT_CLASSES.neverStarted, `The run could not be started within ${Math.round(options.neverStartedAfterMs / 1000)} s of being triggered.`);
      let start;
      try {
        start = await startInputFor(db, run.teamId, run.id);
      } catch (error) {
        // The pinned version no longer parses: no later sweep can start it either. Anything else (a database blip)
        // is left for the next sweep.
        if (error instanceof Error && error.name === 'ZodError')
          return fail(RUN_SETTLEMENT_CLASSES.neverStarted, 'The workflow version this run pinned cannot be read any more.');
        throw error;
      }
      try {
        await temporal.startRun(start);
        return 'started';
      } catch (error) {
        if (error instanceof AppError) throw error; // unavailable: the next sweep tries again
        // Temporal answered and refused (e.g. the start payload is over its limit): it will refuse again.
        return fail(RUN_SETTLEMENT_CLASSES.neverStarted, `Temporal refused to start the run: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return settlementFor(state);
  }

  return {
    /** One sweep over the oldest open runs; returns what it did (the schedule's workflow result shows it). */
    async sweep(input: SweepRunsInput = {}): Promise<SweepRunsResult> {
      const options = { ...SWEEP_DEFAULTS, ...input };
      const now = Date.now();
      const createdBefore = new Date(now - options.startGraceMs);
      // Three looks, so none starves the others: queued runs (to start), runs whose workflow closed lately without
      // recording it (Temporal's visibility says which), and the oldest running ones (a workflow lost outright).
      const [queued, closed, oldest] = await Promise.all([
        listUnsettledRuns(system, { status: 'queued', createdBefore, limit: options.limit }),
        temporal
          .listClosedRunIds(new Date(now - options.closedLookbackMs), options.limit)
          .then((ids) => findUnsettledRuns(system, ids)),
        listUnsettledRuns(system, { status: 'running', createdBefore, limit: Math.ceil(options.limit / 5) }),
      ]);
      const runs = [...new Map([...queued, ...closed, ...oldest].map((run) => [run.id, run])).values()];
      const result: SweepRunsResult = { checked: runs.length, started: 0, settled: [], skipped: 0 };
      let next = 0;
      let outage: unknown;
      const work = async () => {
        while (next < runs.length && outage === undefined) {
          const run = runs[next++]!;
          try {
            const outcome = await reconcile(run, options, now);
            if (outcome === 'started') result.started++;
            else if (outcome && (await settleRun(db, run.teamId, run.id, outcome)))
              result.settled.push({ runId: run.id, status: outcome.status, errorClass: outcome.error?.errorClass ?? null });
          } catch (error) {
            // Temporal unreachable: every other run would wait out its deadline too; stop, the next tick resumes.
            if (error instanceof AppError && error.code === 'unavailable') outage = error;
            // One run's trouble must not stall the others: it is looked at again on the next tick.
            else result.skipped++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, runs.length) }, work));
      if (outage !== undefined) throw outage;
      return result;
    },
  };
}

function fail(errorClass: string, message: string): Settlement {
  return { status: 'failed', error: { errorClass, message } };
}

function settlementFor(state: RunWorkflowState): Settlement | null {
  const why = state.reason ? `: ${state.reason}` : '.';
  switch (state.status) {
    case 'RUNNING':
    case 'CONTINUED_AS_NEW':
    case 'UNSPECIFIED':
    case 'UNKNOWN':
    case 'PAUSED':
      return null;
    case 'TERMINATED':
      return fail(RUN_SETTLEMENT_CLASSES.terminated, `The run's workflow was terminated in Temporal${why}`);
    case 'TIMED_OUT':
      return fail(RUN_SETTLEMENT_CLASSES.timedOut, "The run's workflow timed out in Temporal.");
    case 'FAILED':
      return fail(RUN_SETTLEMENT_CLASSES.failed, `The run's workflow failed before recording the run's end${why}`);
    case 'CANCELLED':
      return { status: 'cancelled', error: null };
    case 'COMPLETED':
      return fail(RUN_SETTLEMENT_CLASSES.unrecorded, "The run's workflow completed, but the run's end was not recorded.");
  }
}
