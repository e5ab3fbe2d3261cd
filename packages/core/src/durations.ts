import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** A duration written as "250ms", "30s", "5m", "1h" (or a number of milliseconds). */
export const durationSchema = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+(ms|s|m|h)$/, 'Use a number with a unit: "250ms", "30s", "5m" or "1h".'),
]);

export type Duration = z.infer<typeof durationSchema>;

export function toMilliseconds(duration: Duration): number {
  if (typeof duration === 'number') return duration;
  const match = /^(\d+)(ms|s|m|h)$/.exec(duration);
  if (!match) throw new Error(`Invalid duration: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
