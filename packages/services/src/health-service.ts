import type { ServiceDeps } from './context';

/** Each dependency gets this long: /api/health must answer within a second even while one of them hangs. */
const CHECK_BUDGET_MS = 800;

/** `fallback` when `check` fails or takes longer than the budget. */
async function within<T>(check: () => Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), CHECK_BUDGET_MS);
  });
  try {
    return await Promise.race([check().catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Database and Temporal reachability, and whether any worker polls the task queue (DescribeTaskQueue), for GET
 * /api/health: with Temporal up but no worker, runs are accepted and never move — that is degraded too.
 */
export function createHealthService({ db, temporal }: ServiceDeps) {
  return {
    async check() {
      const [database, temporalOk, pollers] = await Promise.all([
        within(() => db.$queryRaw`SELECT 1`.then(() => true), false),
        within(() => temporal.isReachable(), false),
        within(() => temporal.countPollers(), -1),
      ]);
      const workers = pollers > 0 ? 'polling' : pollers === 0 ? 'none' : 'unknown';
      return {
        ok: database && temporalOk && workers === 'polling',
        database: database ? 'up' : 'down',
        temporal: temporalOk ? 'up' : 'down',
        workers,
      } as const;
    },
  };
}
