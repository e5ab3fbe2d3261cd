// The rules of an installation's call gate, in one place and free of I/O: which outcomes count for the circuit
// breaker, its transitions (closed → open by consecutive failures or failure ratio, open → half-open after the
// cool-down, a probe's outcome closing or re-opening it), half-open probe slots, the concurrency cap, rate slots,
// what a change of limits does to the gate, and how refused calls spread their retries. The shared state lives in
// Postgres (@manifold/db: lock the row, read, write what these functions decide); the worker applies the rules
// around each call.
//
// Why not cockatiel's CircuitBreakerPolicy: its state is per process. `toJSON()`/`initialState` serialise a
// half-open breaker as "open since epoch" and drop the probes in flight, a half-open probe is an in-memory
// promise other callers await, the policy wraps the call itself (the row lock would have to be held for the
// whole call) and it reads the local clock. Several workers sharing one breaker need the admission and the
// completion as two short transactions on Postgres' clock, with probe slots that expire like leases — so the
// transitions are ours. Cockatiel's decorrelated-jitter backoff is used where it fits: polling for a free
// concurrency slot (apps/worker/src/resilience/call-gate.ts).
import type { BreakerSettings, InstallationLimits } from './installation-limits';
import type { ToolErrorClass } from './tool-errors';

export type CircuitStateName = 'closed' | 'open' | 'half_open';

/** The shared, persisted state of one installation's gate (times in epoch milliseconds). */
export interface CallGateState {
  state: CircuitStateName;
  consecutiveFailures: number;
  windowCalls: number;
  windowFailures: number;
  windowStartedAt: number;
  openedAt: number | null;
  /** Rate limiter: the earliest time the next call may start. */
  nextSlotAt: number;
}

/** The state as read under the gate's row lock: with the database's clock and the live (unexpired) leases. */
export interface CallGateView extends CallGateState {
  now: number;
  /** Calls holding a live lease (concurrency cap; probes included). */
  leasesInFlight: number;
  /** Live leases that are half-open probe slots. */
  probesInFlight: number;
}

export interface CircuitTransition {
  from: CircuitStateName;
  to: CircuitStateName;
  reason: string;
}

/** What to write back, decided by these rules and applied by the database in the same transaction. */
export interface CallGateChange {
  gate?: Partial<CallGateState>;
  /** Take a lease (a concurrency slot, or a probe slot) that expires at `expiresAt` unless returned. */
  lease?: { expiresAt: number; isProbe: boolean };
  /** Live probe leases stop being probes (the half-open period they belonged to is over). */
  releaseProbes?: boolean;
  transition?: CircuitTransition;
}

/** How a call counts for the breaker: a failure of the server, a success, or neither. */
export type CallVerdict = 'success' | 'failure' | 'neutral';

/**
 * Failures that say the server is unhealthy; others (bad arguments, our own limits, unknown tools, the run's
 * cancellation) do not count. A tool's own error counts only where the installation's breaker says so
 * (`countToolErrors`): by default one workflow's bad input cannot open the circuit for the whole team.
 */
const SERVER_FAILURES: readonly ToolErrorClass[] = ['transport_error', 'timeout', 'protocol_error'];

export function verdictOf(errorClass: ToolErrorClass | 'cancelled' | null, breaker?: Pick<BreakerSettings, 'countToolErrors'>): CallVerdict {
  if (errorClass === null) return 'success';
  if (errorClass === 'cancelled') return 'neutral';
  if (errorClass === 'tool_error') return breaker?.countToolErrors ? 'failure' : 'neutral';
  return SERVER_FAILURES.includes(errorClass) ? 'failure' : 'neutral';
}

/** A refused call retries no sooner than this while a probe decides (the probe's outcome is not predictable). */
export const PROBE_WAIT_MS = 1000;

export type AdmissionDecision =
  | { admitted: true; isProbe: boolean; /** wait this long for the reserved rate slot */ waitMs: number; change: CallGateChange }
  | { admitted: false; reason: 'circuit_open'; retryAfterMs: number }
  | { admitted: false; reason: 'busy' };

/** Whether one call may start now. `leaseMs` is how long its slot lives if its worker never returns it. */
export function decideAdmission(gate: CallGateView, limits: InstallationLimits, leaseMs: number): AdmissionDecision {
  const { now } = gate;
  const breaker = limits.breaker;
  let isProbe = false;
  let transition: CircuitTransition | undefined;
  if (breaker && gate.state !== 'closed') {
    if (gate.state === 'open') {
      const coolDownLeft = breaker.coolDownMs - (now - (gate.openedAt ?? 0));
      if (coolDownLeft > 0) return { admitted: false, reason: 'circuit_open', retryAfterMs: coolDownLeft };
      transition = { from: 'open', to: 'half_open', reason: 'Cool-down over: letting a probe call through.' };
    }
    // A probe slot is a lease: one whose worker died expires and no longer counts here.
    const probes = gate.state === 'open' ? 0 : gate.probesInFlight;
    if (probes >= breaker.halfOpenProbes)
      return { admitted: false, reason: 'circuit_open', retryAfterMs: Math.min(breaker.coolDownMs, PROBE_WAIT_MS) };
    isProbe = true;
  }
  if (limits.maxConcurrency !== undefined && gate.leasesInFlight >= limits.maxConcurrency) return { admitted: false, reason: 'busy' };

  const change: CallGateChange = {};
  if (limits.maxConcurrency !== undefined || isProbe) change.lease = { expiresAt: now + leaseMs, isProbe };
  let waitMs = 0;
  if (limits.ratePerSecond !== undefined) {
    const slot = Math.max(gate.nextSlotAt, now);
    waitMs = slot - now;
    change.gate = { nextSlotAt: slot + 1000 / limits.ratePerSecond };
  }
  if (transition) {
    change.gate = { ...change.gate, state: 'half_open' };
    // Probe leases left from an earlier half-open period are not this period's probes.
    change.releaseProbes = true;
    change.transition = transition;
  }
  return { admitted: true, isProbe, waitMs, change };
}

const freshCounters = (now: number) => ({ consecutiveFailures: 0, windowCalls: 0, windowFailures: 0, windowStartedAt: now });

/**
 * How a finished call moves the breaker. `wasProbe` is true only when the call still held a live probe slot:
 * a call admitted before the circuit opened, or a probe whose slot expired, does not decide a half-open circuit.
 */
export function decideCompletion(
  gate: CallGateView,
  breaker: BreakerSettings,
  call: { verdict: CallVerdict; wasProbe: boolean; detail?: string | undefined },
): CallGateChange {
  const { now } = gate;
  const last = call.detail ? `: ${call.detail}` : '.';
  if (gate.state === 'half_open') {
    if (!call.wasProbe || call.verdict === 'neutral') return {};
    const to: CircuitStateName = call.verdict === 'success' ? 'closed' : 'open';
    return {
      gate: { state: to, ...freshCounters(now), ...(to === 'open' ? { openedAt: now } : {}) },
      releaseProbes: true,
      transition: { from: 'half_open', to, reason: to === 'closed' ? 'A probe call succeeded.' : `A probe call failed${last}` },
    };
  }
  if (gate.state !== 'closed' || call.verdict === 'neutral') return {};

  const isWindowOver = now - gate.windowStartedAt > breaker.windowMs;
  const windowCalls = (isWindowOver ? 0 : gate.windowCalls) + 1;
  const windowFailures = (isWindowOver ? 0 : gate.windowFailures) + (call.verdict === 'failure' ? 1 : 0);
  const consecutiveFailures = call.verdict === 'failure' ? gate.consecutiveFailures + 1 : 0;
  const byConsecutive = consecutiveFailures >= breaker.consecutiveFailures;
  const byRatio = windowCalls >= breaker.minimumCalls && windowFailures / windowCalls >= breaker.failureRatio;
  if (call.verdict === 'failure' && (byConsecutive || byRatio)) {
    const detail = call.detail ? `; last: ${call.detail}` : '';
    return {
      gate: { state: 'open', openedAt: now, ...freshCounters(now) },
      releaseProbes: true,
      transition: {
        from: 'closed',
        to: 'open',
        reason: byConsecutive ? `${consecutiveFailures} failures in a row${detail}` : `${windowFailures} of ${windowCalls} calls failed${detail}`,
      },
    };
  }
  return { gate: { consecutiveFailures, windowCalls, windowFailures, ...(isWindowOver ? { windowStartedAt: now } : {}) } };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What setting an installation's limits does to its gate. Any write of limits is an operator's "try again":
 * an open or half-open circuit (also one stuck on a probe whose worker died) frees its probe slots and lets the
 * next call through as a probe — one probe tests the server rather than every waiting call at once. A removed
 * breaker closes; a closed circuit restarts its counting under the new thresholds. A changed rate drops the
 * slots reserved under the old one.
 */
export function decideLimitsChange(gate: CallGateView, before: InstallationLimits, after: InstallationLimits): CallGateChange {
  const { now } = gate;
  const change: CallGateChange = { gate: {} };
  if (!sameJson(before.ratePerSecond, after.ratePerSecond)) change.gate!.nextSlotAt = now;
  if (!after.breaker || gate.state === 'closed') {
    Object.assign(change.gate!, { state: 'closed', openedAt: null, ...freshCounters(now) });
    change.releaseProbes = true;
    if (gate.state !== 'closed')
      change.transition = { from: gate.state, to: 'closed', reason: 'The installation’s limits changed: circuit breaker removed.' };
    return change;
  }
  Object.assign(change.gate!, { state: 'half_open', ...freshCounters(now) });
  change.releaseProbes = true;
  change.transition = {
    from: gate.state,
    to: 'half_open',
    reason: 'The installation’s limits changed: probe slots freed, the next call is let through as a probe.',
  };
  return change;
}

/** When calls are let through again: the end of the cool-down while open; null when closed or probing now. */
export function callsResumeAt(gate: Pick<CallGateState, 'state' | 'openedAt'>, breaker: BreakerSettings | undefined): number | null {
  if (!breaker || gate.state !== 'open' || gate.openedAt === null) return null;
  return gate.openedAt + breaker.coolDownMs;
}

/** The widest spread added to a refused call's retry delay (see spreadRetryAfter). */
export const MAX_RETRY_SPREAD_MS = 30_000;

/**
 * Spreads the retry delay of a call refused by an open circuit, so that waiting runs do not all retry the
 * instant the cool-down ends: the delay becomes `retryAfterMs` plus a uniformly random part of up to half the
 * cool-down (at least 250 ms, at most MAX_RETRY_SPREAD_MS). Never sooner than the circuit allows.
 */
export function spreadRetryAfter(retryAfterMs: number, coolDownMs: number, random: () => number = Math.random): number {
  const spreadMs = Math.min(MAX_RETRY_SPREAD_MS, Math.max(250, coolDownMs / 2));
  return Math.round(Math.max(0, retryAfterMs) + spreadMs * random());
}
