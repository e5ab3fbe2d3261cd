import { services } from '@/server/services';

export const dynamic = 'force-dynamic';

/**
 * Liveness of the platform's dependencies: 200 when Postgres and Temporal answer and a worker polls the task queue,
 * else 503 `degraded`. Answers within a second whatever hangs (each check has a budget).
 */
export async function GET(): Promise<Response> {
  const health = await services().health.check();
  return Response.json(
    { status: health.ok ? 'ok' : 'degraded', database: health.database, temporal: health.temporal, workers: health.workers },
    { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
