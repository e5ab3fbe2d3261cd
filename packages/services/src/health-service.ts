import type { ServiceDeps } from './context';

/** Database and Temporal reachability, for GET /api/health. */
export function createHealthService({ db, temporal }: ServiceDeps) {
  return {
    async check() {
      const [database, temporalOk] = await Promise.all([
        db.$queryRaw`SELECT 1`.then(
          () => true,
          () => false,
        ),
        temporal.isReachable(),
      ]);
      return { ok: database && temporalOk, database: database ? 'up' : 'down', temporal: temporalOk ? 'up' : 'down' } as const;
    },
  };
}
