// Durations to milliseconds, without zod: workflow code imports it (see workflow-runtime.ts).
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "250ms", "30s", "5m", "1h" or a number of milliseconds. */
export function toMilliseconds(duration: number | string): number {
  if (typeof duration === 'number') return duration;
  const match = /^(\d+)(ms|s|m|h)$/.exec(duration);
  if (!match) throw new Error(`Invalid duration: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
