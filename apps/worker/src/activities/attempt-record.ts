// How one attempt of a tool call is written. Either it is opened before the call — a `running` row: the
// evidence the repeat guard needs after a crash, and what the run page shows live — and closed after it; or,
// for a short call that is safe to repeat, it is written once when it ends (one transaction instead of two,
// shared with the calls that end together: see ended-attempt-writer.ts), unless the call outlives
// OPEN_LATE_AFTER_MS: then it is opened after all, so a call that takes a while still shows as running and
// leaves its row if the worker dies.
import { beginAttempt, finishAttempt, finishSuccessfulAttempt, type AttemptStart, type Database } from '@manifold/db';
import type { EndedAttemptWriter } from './ended-attempt-writer';

export const OPEN_LATE_AFTER_MS = 500;

type Opened = Awaited<ReturnType<typeof beginAttempt>>;

export interface AttemptRecord {
  /** The opened attempt, or undefined while it is to be written at its end. */
  opened: Promise<Opened | undefined>;
  fail(result: { latencyMs: number; errorClass: string; errorMessage: string }): Promise<void>;
  /** Records the success; returns the output the step keeps (an earlier success's, when this call was a repeat). */
  succeed<T>(latencyMs: number, output: T): Promise<T>;
}

export function openAttemptRecord(
  db: Database,
  teamId: string,
  options: { start: AttemptStart; opensAtOnce: boolean; writeEnded: EndedAttemptWriter },
): AttemptRecord {
  const { start } = options;
  let opening: Promise<Opened> | undefined;
  const open = () => {
    opening = beginAttempt(db, teamId, start);
    opening.catch(() => undefined); // awaited (and its failure thrown) when the attempt ends
    return opening;
  };
  const lateOpen = options.opensAtOnce ? undefined : setTimeout(() => void open(), OPEN_LATE_AFTER_MS);
  const settle = async () => {
    clearTimeout(lateOpen);
    return opening ? await opening : undefined;
  };
  const step = { key: start.stepKey, stepId: start.stepId, kind: start.kind };

  return {
    opened: options.opensAtOnce ? open() : Promise.resolve(undefined),
    async fail(result) {
      const row = await settle();
      if (!row) await options.writeEnded(teamId, { start, result: { status: 'failed', ...result } });
      else if (!row.alreadySucceeded) await finishAttempt(db, teamId, row.attemptId, { status: 'failed', ...result });
    },
    async succeed(latencyMs, output) {
      const row = await settle();
      if (!row) {
        const recorded = await options.writeEnded(teamId, { start, result: { status: 'succeeded', latencyMs, output } });
        return recorded.alreadySucceeded ? (recorded.output as typeof output) : output;
      }
      if (row.alreadySucceeded) return row.output as typeof output;
      await finishSuccessfulAttempt(db, teamId, row.attemptId, latencyMs, start.runId, step, output);
      return output;
    },
  };
}
