import { describe, expect, it } from 'vitest';
import {
  callsResumeAt,
  decideAdmission,
  decideCompletion,
  decideLimitsChange,
  MAX_RETRY_SPREAD_MS,
  spreadRetryAfter,
  verdictOf,
  type CallGateView,
} from './call-gate-rules';
import { breakerSettingsSchema, type BreakerSettings } from './installation-limits';
import { TOOL_ERROR_CLASSES } from './tool-errors';

const NOW = 1_800_000_000_000;
const settings = (over: Partial<BreakerSettings> = {}) => breakerSettingsSchema.parse(over);
const gate = (over: Partial<CallGateView> = {}): CallGateView => ({
  state: 'closed',
  consecutiveFailures: 0,
  windowCalls: 0,
  windowFailures: 0,
  windowStartedAt: NOW - 1000,
  openedAt: null,
  nextSlotAt: NOW - 1000,
  now: NOW,
  leasesInFlight: 0,
  probesInFlight: 0,
  ...over,
});
/** Applies a decided change to a view, as the database would. */
const after = (view: CallGateView, change: { gate?: Partial<CallGateView> }) => ({ ...view, ...change.gate });

describe('verdictOf (what a call tells the circuit breaker)', () => {
  const defaults = settings();

  it('counts only failures that say the server is unhealthy', () => {
    const failures = TOOL_ERROR_CLASSES.filter((errorClass) => verdictOf(errorClass, defaults) === 'failure');
    expect(failures).toEqual(['transport_error', 'timeout', 'protocol_error']);
  });

  it("does not count a tool's own error or refused arguments by default, so one workflow cannot open the circuit", () => {
    expect(defaults.countToolErrors).toBe(false);
    expect(verdictOf('tool_error', defaults)).toBe('neutral');
    expect(verdictOf('invalid_arguments', { countToolErrors: true })).toBe('neutral');
  });

  it('counts tool errors where the installation says so', () => {
    expect(verdictOf('tool_error', { countToolErrors: true })).toBe('failure');
  });

  it('treats a success as a success and a cancellation as neither', () => {
    expect(verdictOf(null)).toBe('success');
    expect(verdictOf('cancelled')).toBe('neutral');
  });
});

describe('closed → open', () => {
  it('opens after the configured number of consecutive failures, and a success resets the count', () => {
    const breaker = settings({ consecutiveFailures: 3, minimumCalls: 100 });
    let view = gate();
    for (let i = 0; i < 2; i++) view = after(view, decideCompletion(view, breaker, { verdict: 'failure', wasProbe: false }));
    expect(view.consecutiveFailures).toBe(2);
    const reset = after(view, decideCompletion(view, breaker, { verdict: 'success', wasProbe: false }));
    expect(reset.consecutiveFailures).toBe(0);
    expect(reset.state).toBe('closed');

    view = reset;
    for (let i = 0; i < 2; i++) view = after(view, decideCompletion(view, breaker, { verdict: 'failure', wasProbe: false }));
    const trip = decideCompletion(view, breaker, { verdict: 'failure', wasProbe: false, detail: 'connection refused' });
    expect(trip.gate).toMatchObject({ state: 'open', openedAt: NOW, consecutiveFailures: 0, windowCalls: 0 });
    expect(trip.transition).toEqual({ from: 'closed', to: 'open', reason: '3 failures in a row; last: connection refused' });
  });

  it('opens on the failure ratio once the window holds the minimum number of calls', () => {
    const breaker = settings({ consecutiveFailures: 1000, failureRatio: 0.5, minimumCalls: 4 });
    // 1 of 3 failed so far; one more failure makes 2 of 4 = 50 %.
    const view = gate({ windowCalls: 3, windowFailures: 1, consecutiveFailures: 0 });
    const trip = decideCompletion(view, breaker, { verdict: 'failure', wasProbe: false });
    expect(trip.gate?.state).toBe('open');
    expect(trip.transition?.reason).toBe('2 of 4 calls failed');
    // Below the minimum number of calls a bad ratio does not open it.
    const few = decideCompletion(gate({ windowCalls: 1, windowFailures: 1 }), breaker, { verdict: 'failure', wasProbe: false });
    expect(few.gate?.state).toBeUndefined();
    expect(few.transition).toBeUndefined();
  });

  it('starts a new window once the old one is over', () => {
    const breaker = settings({ windowMs: 1000, minimumCalls: 2, consecutiveFailures: 1000 });
    const stale = gate({ windowCalls: 50, windowFailures: 49, windowStartedAt: NOW - 5000 });
    const change = decideCompletion(stale, breaker, { verdict: 'failure', wasProbe: false });
    expect(change.gate).toEqual({ consecutiveFailures: 1, windowCalls: 1, windowFailures: 1, windowStartedAt: NOW });
  });

  it('ignores neutral outcomes (bad arguments, cancellations) entirely', () => {
    expect(decideCompletion(gate({ consecutiveFailures: 4 }), settings(), { verdict: 'neutral', wasProbe: false })).toEqual({});
  });
});

describe('open → half-open → closed / open', () => {
  const breaker = settings({ coolDownMs: 10_000, halfOpenProbes: 1 });
  const limits = { breaker };

  it('refuses calls during the cool-down, saying how long is left', () => {
    const decision = decideAdmission(gate({ state: 'open', openedAt: NOW - 4000 }), limits, 5000);
    expect(decision).toEqual({ admitted: false, reason: 'circuit_open', retryAfterMs: 6000 });
    expect(callsResumeAt({ state: 'open', openedAt: NOW - 4000 }, breaker)).toBe(NOW + 6000);
  });

  it('after the cool-down admits one probe holding an expiring probe lease, and refuses the next while it runs', () => {
    const decision = decideAdmission(gate({ state: 'open', openedAt: NOW - 10_000 }), limits, 5000);
    expect(decision).toMatchObject({
      admitted: true,
      isProbe: true,
      change: {
        gate: { state: 'half_open' },
        lease: { expiresAt: NOW + 5000, isProbe: true },
        transition: { from: 'open', to: 'half_open' },
      },
    });
    const second = decideAdmission(gate({ state: 'half_open', probesInFlight: 1, leasesInFlight: 1 }), limits, 5000);
    expect(second).toEqual({ admitted: false, reason: 'circuit_open', retryAfterMs: 1000 });
    expect(callsResumeAt({ state: 'half_open', openedAt: NOW - 10_000 }, breaker)).toBeNull();
  });

  it('admits a new probe once the stuck probe’s lease has expired (it no longer counts)', () => {
    // The database drops expired leases before counting: a dead worker's probe shows as zero probes in flight.
    const decision = decideAdmission(gate({ state: 'half_open', probesInFlight: 0 }), limits, 5000);
    expect(decision).toMatchObject({ admitted: true, isProbe: true, change: { lease: { isProbe: true } } });
  });

  it('a successful probe closes the circuit with fresh counters', () => {
    const change = decideCompletion(gate({ state: 'half_open', consecutiveFailures: 7 }), breaker, { verdict: 'success', wasProbe: true });
    expect(change).toEqual({
      gate: { state: 'closed', consecutiveFailures: 0, windowCalls: 0, windowFailures: 0, windowStartedAt: NOW },
      releaseProbes: true,
      transition: { from: 'half_open', to: 'closed', reason: 'A probe call succeeded.' },
    });
  });

  it('a failed probe re-opens the circuit and restarts the cool-down', () => {
    const change = decideCompletion(gate({ state: 'half_open' }), breaker, { verdict: 'failure', wasProbe: true, detail: 'timed out' });
    expect(change.gate).toMatchObject({ state: 'open', openedAt: NOW });
    expect(change.transition).toEqual({ from: 'half_open', to: 'open', reason: 'A probe call failed: timed out' });
    expect(decideAdmission(after(gate({ state: 'half_open' }), change), limits, 5000)).toMatchObject({ admitted: false, retryAfterMs: 10_000 });
  });

  it('a call that is not (or no longer) a probe does not decide a half-open circuit; a neutral probe frees its slot only', () => {
    expect(decideCompletion(gate({ state: 'half_open' }), breaker, { verdict: 'failure', wasProbe: false })).toEqual({});
    expect(decideCompletion(gate({ state: 'half_open' }), breaker, { verdict: 'neutral', wasProbe: true })).toEqual({});
    expect(decideCompletion(gate({ state: 'open', openedAt: NOW }), breaker, { verdict: 'failure', wasProbe: false })).toEqual({});
  });

  it('does not move to half-open when no concurrency slot is free', () => {
    const decision = decideAdmission(gate({ state: 'open', openedAt: 0, leasesInFlight: 2 }), { breaker, maxConcurrency: 2 }, 5000);
    expect(decision).toEqual({ admitted: false, reason: 'busy' });
  });
});

describe('concurrency and rate', () => {
  it('takes a lease under the cap and reserves the next rate slot', () => {
    const decision = decideAdmission(gate({ leasesInFlight: 1, nextSlotAt: NOW + 100 }), { maxConcurrency: 2, ratePerSecond: 4 }, 5000);
    expect(decision).toEqual({
      admitted: true,
      isProbe: false,
      waitMs: 100,
      change: { lease: { expiresAt: NOW + 5000, isProbe: false }, gate: { nextSlotAt: NOW + 100 + 250 } },
    });
  });

  it('takes no lease when neither a cap nor a probe needs one', () => {
    expect(decideAdmission(gate(), { ratePerSecond: 1 }, 5000)).toMatchObject({ admitted: true, change: { gate: { nextSlotAt: NOW + 1000 } } });
    expect(decideAdmission(gate(), { breaker: settings() }, 5000)).toEqual({ admitted: true, isProbe: false, waitMs: 0, change: {} });
  });
});

describe('a change of limits', () => {
  const breaker = settings();

  it('frees a stuck half-open gate: probe slots released, the next call is a probe', () => {
    const stuck = gate({ state: 'half_open', probesInFlight: 1, leasesInFlight: 1 });
    const change = decideLimitsChange(stuck, { breaker }, { breaker });
    expect(change.releaseProbes).toBe(true);
    expect(change.gate?.state).toBe('half_open');
    expect(change.transition).toMatchObject({ from: 'half_open', to: 'half_open' });
    // After the change (probe leases released) the next call is let through as a probe.
    const next = decideAdmission({ ...after(stuck, change), probesInFlight: 0 }, { breaker }, 5000);
    expect(next).toMatchObject({ admitted: true, isProbe: true });
  });

  it('ends an open circuit’s cool-down with one probe rather than letting every waiting call through', () => {
    const change = decideLimitsChange(gate({ state: 'open', openedAt: NOW }), { breaker }, { breaker: settings({ coolDownMs: 1000 }) });
    expect(change.gate?.state).toBe('half_open');
    expect(change.transition).toMatchObject({ from: 'open', to: 'half_open' });
  });

  it('closes the circuit when the breaker is removed, and restarts counting when closed', () => {
    const removed = decideLimitsChange(gate({ state: 'open', openedAt: NOW }), { breaker }, {});
    expect(removed.gate).toMatchObject({ state: 'closed', openedAt: null });
    expect(removed.transition).toMatchObject({ from: 'open', to: 'closed' });
    const closed = decideLimitsChange(gate({ consecutiveFailures: 4, windowCalls: 9 }), { breaker }, { breaker });
    expect(closed.gate).toMatchObject({ state: 'closed', consecutiveFailures: 0, windowCalls: 0 });
    expect(closed.transition).toBeUndefined();
  });

  it('drops rate slots reserved under an old rate, and keeps them when the rate is unchanged', () => {
    const reserved = gate({ nextSlotAt: NOW + 60_000 });
    expect(decideLimitsChange(reserved, { ratePerSecond: 0.01 }, { ratePerSecond: 10 }).gate?.nextSlotAt).toBe(NOW);
    expect(decideLimitsChange(reserved, { ratePerSecond: 10 }, { ratePerSecond: 10 }).gate?.nextSlotAt).toBeUndefined();
  });
});

describe('spreadRetryAfter (refused calls do not all retry at once)', () => {
  it('never retries before the circuit allows, and spreads over up to half the cool-down', () => {
    expect(spreadRetryAfter(6000, 10_000, () => 0)).toBe(6000);
    expect(spreadRetryAfter(6000, 10_000, () => 0.999999)).toBe(11_000);
    expect(spreadRetryAfter(100, 100, () => 1)).toBe(350);
    expect(spreadRetryAfter(0, 3_600_000, () => 1)).toBe(MAX_RETRY_SPREAD_MS);
  });

  it('gives a hundred runs refused at the same moment retry times spread across the window', () => {
    // A seeded generator (mulberry32): the spread is the function's, the test's outcome never depends on luck.
    let seed = 0x9e3779b9;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const delays = Array.from({ length: 100 }, () => spreadRetryAfter(5000, 10_000, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(5000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(10_000);
    // Bucketed by half a second, the retries land in most of the ten buckets; none holds a third of them.
    const buckets = new Map<number, number>();
    for (const d of delays) buckets.set(Math.floor((d - 5000) / 500), (buckets.get(Math.floor((d - 5000) / 500)) ?? 0) + 1);
    expect(buckets.size).toBeGreaterThanOrEqual(7);
    expect(Math.max(...buckets.values())).toBeLessThan(34);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});
