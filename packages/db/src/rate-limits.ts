// Fixed-window rate-limit counters shared by every process: one atomic UPSERT per hit, timed by the
// database's clock so processes with skewed clocks agree on the window.
import type { Database } from './client';

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Seconds until the current window ends (≥ 1). */
  resetSeconds: number;
}

/** Counts one hit for `key` in a window of `windowSeconds` and returns the window's total. */
export async function hitRateLimit(db: Database, key: string, windowSeconds: number): Promise<RateLimitHit> {
  const rows = await db.$queryRaw<Array<{ count: number; reset_seconds: number }>>`
    WITH now AS (
      SELECT clock_timestamp() AS t,
             to_timestamp(floor(extract(epoch FROM clock_timestamp()) / ${windowSeconds}::int) * ${windowSeconds}::int) AS window_start
    )
    INSERT INTO "RateLimitCounter" AS c (key, "windowStart", count, "updatedAt")
    SELECT ${key}, now.window_start, 1, now.t FROM now
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN c."windowStart" = EXCLUDED."windowStart" THEN c.count + 1 ELSE 1 END,
      "windowStart" = EXCLUDED."windowStart",
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING c.count,
      GREATEST(1, ceil(extract(epoch FROM (c."windowStart" + make_interval(secs => ${windowSeconds}::int)) - clock_timestamp())))::int AS reset_seconds`;
  const row = rows[0]!;
  return { count: Number(row.count), resetSeconds: Number(row.reset_seconds) };
}

/** Current count without counting a hit (0 when the window has passed). */
export async function peekRateLimit(db: Database, key: string, windowSeconds: number): Promise<number> {
  const rows = await db.$queryRaw<Array<{ count: number }>>`
    SELECT count FROM "RateLimitCounter"
    WHERE key = ${key}
      AND "windowStart" = to_timestamp(floor(extract(epoch FROM clock_timestamp()) / ${windowSeconds}::int) * ${windowSeconds}::int)`;
  return rows[0] ? Number(rows[0].count) : 0;
}

/** Forgets `key`'s counter (e.g. after a successful sign-in). */
export async function resetRateLimit(db: Database, key: string): Promise<void> {
  await db.rateLimitCounter.deleteMany({ where: { key } });
}

/** The current window's count for `key` and the seconds since its last hit (by the database's clock). */
export async function readRateLimit(
  db: Database,
  key: string,
  windowSeconds: number,
): Promise<{ count: number; secondsSinceLast: number }> {
  const rows = await db.$queryRaw<Array<{ count: number; since: number }>>`
    SELECT count, extract(epoch FROM clock_timestamp() - "updatedAt")::float8 AS since FROM "RateLimitCounter"
    WHERE key = ${key}
      AND "windowStart" = to_timestamp(floor(extract(epoch FROM clock_timestamp()) / ${windowSeconds}::int) * ${windowSeconds}::int)`;
  return rows[0] ? { count: Number(rows[0].count), secondsSinceLast: Number(rows[0].since) } : { count: 0, secondsSinceLast: Infinity };
}
