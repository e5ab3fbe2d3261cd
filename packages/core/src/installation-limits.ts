// Call limits of a server installation (stored in its `limits` JSON): a timeout cap, a rate limit and a
// concurrency cap shared by all workers, and the thresholds of its circuit breaker. All are optional; an
// installation without limits is called without any admission check.
import { z } from 'zod';

export const breakerSettingsSchema = z.strictObject({
  /** Open after this many failures in a row. */
  consecutiveFailures: z.number().int().min(1).max(1000).default(5),
  /** …or when at least this fraction of the calls in the window failed… */
  failureRatio: z.number().gt(0).max(1).default(0.5),
  /** …once the window holds at least this many calls. */
  minimumCalls: z.number().int().min(1).max(100_000).default(10),
  windowMs: z.number().int().min(1000).max(3_600_000).default(60_000),
  /** How long the circuit stays open before letting probe calls through. */
  coolDownMs: z.number().int().min(100).max(3_600_000).default(30_000),
  /** Calls let through at once while half-open; the first success closes the circuit, a failure re-opens it. */
  halfOpenProbes: z.number().int().min(1).max(100).default(1),
  /**
   * Whether a tool's own error (isError: true) counts as a server failure. Off by default: one workflow's bad
   * arguments must not open the circuit for the whole team; transport, timeout and protocol failures always count.
   */
  countToolErrors: z.boolean().default(false),
});

export const installationLimitsSchema = z.strictObject({
  /** Caps every call's timeout on this installation (a step's own timeout applies when it is shorter). */
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  /** Calls per second across all workers; excess calls wait for a slot (within their step timeout). */
  ratePerSecond: z.number().gt(0).max(10_000).optional(),
  /** Calls in flight at once across all workers; excess calls wait (within their step timeout). */
  maxConcurrency: z.number().int().min(1).max(10_000).optional(),
  breaker: breakerSettingsSchema.optional(),
});

export type BreakerSettings = z.infer<typeof breakerSettingsSchema>;
export type InstallationLimits = z.infer<typeof installationLimitsSchema>;

/** Stored limits, read leniently: a row written before a field existed still yields usable limits. */
export function readInstallationLimits(stored: unknown): InstallationLimits {
  const parsed = installationLimitsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}

/** Whether calls on this installation go through the shared call gate at all. */
export function hasCallGate(limits: InstallationLimits): boolean {
  return limits.ratePerSecond !== undefined || limits.maxConcurrency !== undefined || limits.breaker !== undefined;
}
