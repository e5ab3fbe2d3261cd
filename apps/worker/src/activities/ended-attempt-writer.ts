// Group commit for attempts written when they end: the calls of a fan-out (or of many runs) that end together
// are recorded in one transaction per team instead of one each. While a team's transaction is in flight, the
// attempts that end meanwhile wait and form the next one, so batches grow with the load; an attempt alone
// waits for nothing but the current event-loop turn.
import { recordEndedAttempts, type Database, type EndedAttempt, type EndedAttemptRecord } from '@manifold/db';

const MAX_BATCH = 100;

interface Pending {
  ended: EndedAttempt;
  resolve(record: EndedAttemptRecord): void;
  reject(error: unknown): void;
}

export type EndedAttemptWriter = (teamId: string, ended: EndedAttempt) => Promise<EndedAttemptRecord>;

export function createEndedAttemptWriter(db: Database): EndedAttemptWriter {
  const queues = new Map<string, Pending[]>();
  const writing = new Set<string>();

  async function drain(teamId: string) {
    writing.add(teamId);
    try {
      for (let queue = queues.get(teamId); queue?.length; queue = queues.get(teamId)) {
        const batch = queue.splice(0, MAX_BATCH);
        try {
          const records = await recordEndedAttempts(
            db,
            teamId,
            batch.map((p) => p.ended),
          );
          batch.forEach((p, i) => p.resolve(records[i]!));
        } catch (error) {
          // Each call fails and is retried by its own policy (the calls are safe to repeat).
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      queues.delete(teamId);
      writing.delete(teamId);
    }
  }

  return (teamId, ended) =>
    new Promise<EndedAttemptRecord>((resolve, reject) => {
      let queue = queues.get(teamId);
      if (!queue) queues.set(teamId, (queue = []));
      queue.push({ ended, resolve, reject });
      if (!writing.has(teamId) && queue.length === 1) setImmediate(() => void drain(teamId));
    });
}
