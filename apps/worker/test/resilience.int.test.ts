// Shared call limits against the real parts: the circuit breaker (state in Postgres) opens, half-opens after
// its cool-down and closes on a successful probe; the rate limit and concurrency cap hold across concurrent
// runs; excess calls wait instead of failing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstallationLimits, type AppError } from '@manifold/core';
import { getInstallationByName } from '@manifold/db';
import type { ActingContext } from '@manifold/services';
import { waitFor } from '@manifold/testing';
import { enterCallGate, GateRefusal, type CallTicket } from '../src/resilience/call-gate';
import { addFixtureServer, startAdHocRun, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

const finished = (runId: string) => waitForRunEnd(platform.services, team, runId, 120_000);

const start = (definition: unknown, input: Record<string, unknown> = {}) =>
  startAdHocRun(platform.services, team, definition, input, 'res');

const call = (id: string, server: string, tool: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'tool',
  server,
  tool,
  args,
  ...extra,
});

/** A workflow that makes `step` six times at once (a map over six items, all in flight together). */
const sixAtOnce = (step: unknown) => ({ steps: [{ id: 'fan', type: 'map', items: '{{ [1..6] }}', maxConcurrency: 6, steps: [step] }] });

beforeAll(async () => {
  // The tests change an installation's limits and run at once: a worker reuses an installation row for up
  // to WORKER_INSTALLATION_CACHE_MS (the documented staleness bound), so this suite reads it on every call.
  platform = await startPlatform({ installationCacheMs: 0 });
  team = await platform.newTeam('resilience');
  await addFixtureServer(platform.db, team);
  for (const name of ['breaker', 'limited', 'capped', 'stuck']) await platform.services.installations.install(team, { server: 'fixture', name });
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

describe('call limits', () => {
  it('validates limits with field paths and refuses another team’s installation', async () => {
    const error = await platform.services.installationLimits
      .set(team, 'breaker', { ratePerSecond: -1, breaker: { coolDownMs: 'x' } })
      .catch((e: unknown) => e);
    expect((error as AppError).options.fieldErrors?.map((e) => e.path).sort()).toEqual([
      'limits.breaker.coolDownMs',
      'limits.ratePerSecond',
    ]);
    const other = await platform.newTeam('other');
    const missing = await platform.services.installationLimits.set(other, 'breaker', {}).catch((e: unknown) => e);
    expect((missing as AppError).code).toBe('not_found');
  });

  it('opens the breaker after consecutive failures, fails fast while open, half-opens after the cool-down and closes on a good probe', async () => {
    await platform.services.installationLimits.set(team, 'breaker', {
      // The fixture's tool errors stand for a failing server here: this installation counts them.
      breaker: { consecutiveFailures: 3, coolDownMs: 2000, halfOpenProbes: 1, countToolErrors: true },
    });
    const failing = (id: string) => call(id, 'breaker', 'fail', { message: 'down' }, { retry: { maxAttempts: 1 }, catch: { value: null } });
    const tripped = await finished(
      await start({
        steps: [
          failing('f1'),
          failing('f2'),
          failing('f3'),
          call('after', 'breaker', 'echo', { message: 'x' }, { retry: { maxAttempts: 1 }, catch: { value: 'skipped' } }),
        ],
      }),
    );
    expect(tripped.steps.map((s) => [s.key, s.attempts[0]?.errorClass])).toEqual([
      ['f1', 'tool_error'],
      ['f2', 'tool_error'],
      ['f3', 'tool_error'],
      ['after', 'circuit_open'],
    ]);
    expect((await platform.services.installationLimits.status(team, 'breaker')).state).toBe('open');

    // A step with a generous retry policy is retried after the cool-down, not in a tight loop.
    const recovered = await finished(
      await start({
        steps: [call('probe', 'breaker', 'echo', { message: 'back' }, { retry: { maxAttempts: 5, initialInterval: '50ms' } })],
      }),
    );
    expect(recovered.status).toBe('succeeded');
    const attempts = recovered.steps[0]!.attempts;
    expect(attempts.at(-1)!.status).toBe('succeeded');
    expect(attempts.slice(0, -1).every((a) => a.errorClass === 'circuit_open')).toBe(true);
    expect(attempts.length).toBeLessThanOrEqual(3);

    const status = await platform.services.installationLimits.status(team, 'breaker');
    expect(status.state).toBe('closed');
    expect(status.history.map((h) => `${h.from}->${h.to}`).reverse()).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('re-opens the breaker when the half-open probe fails (flaky server)', async () => {
    await platform.services.installationLimits.set(team, 'breaker', {
      breaker: { consecutiveFailures: 1, coolDownMs: 500, halfOpenProbes: 1, countToolErrors: true },
    });
    const run = await finished(
      await start({
        steps: [
          call('shaky', 'breaker', 'flaky', { key: 'breaker-flaky', failTimes: 2 }, { retry: { maxAttempts: 6, initialInterval: '50ms' } }),
        ],
      }),
    );
    expect(run.status).toBe('succeeded');
    const classes = run.steps[0]!.attempts.map((a) => a.errorClass ?? 'ok');
    // fail (opens) → circuit_open … → probe fails (re-opens) → circuit_open … → probe succeeds.
    expect(classes[0]).toBe('tool_error');
    expect(classes.at(-1)).toBe('ok');
    expect(classes.filter((c) => c === 'tool_error')).toHaveLength(2);
    const history = (await platform.services.installationLimits.status(team, 'breaker')).history.map((h) => `${h.from}->${h.to}`);
    expect(history.slice(0, 5).reverse()).toEqual([
      'closed->open',
      'open->half_open',
      'half_open->open',
      'open->half_open',
      'half_open->closed',
    ]);
  });

  it('keeps two concurrent runs within the installation’s calls per second; excess calls wait', async () => {
    await platform.services.installationLimits.set(team, 'limited', { ratePerSecond: 4 });
    // Start the server's process first: the limiter spaces call starts, and calls queued behind a cold
    // process start would reach the server together.
    await platform.services.installations.listTools(team, 'limited');
    const fan = sixAtOnce(call('hit', 'limited', 'concurrency', { ms: 1, key: 'rate' }));
    const runs = await Promise.all([start(fan), start(fan)]);
    const results = await Promise.all(runs.map(finished));
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    // Waiting is not failing: every call succeeded on its first attempt.
    expect(results.flatMap((r) => r.steps.filter((s) => s.kind === 'tool').map((s) => s.attempts.length))).toEqual(Array(12).fill(1));

    const stats = await finished(await start({ steps: [call('stats', 'limited', 'concurrency_stats', { key: 'rate' })] }));
    const { timestamps, calls } = (stats.output as { structuredContent: { timestamps: number[]; calls: number } }).structuredContent;
    expect(calls).toBe(12);
    const sorted = [...timestamps].sort((a, b) => a - b);
    // Calls start 250 ms apart, so any 5 consecutive arrivals span ≥ 1 s; 300 ms is allowed for the jitter
    // between a call's start and its arrival on a loaded machine. Unlimited, all 12 would arrive within ms.
    for (let i = 0; i + 4 < sorted.length; i++) expect(sorted[i + 4]! - sorted[i]!).toBeGreaterThanOrEqual(700);
    expect(sorted.at(-1)! - sorted[0]!).toBeGreaterThanOrEqual(11 * 250 - 300);
  });

  it('caps calls in flight on an installation across runs', async () => {
    await platform.services.installationLimits.set(team, 'capped', { maxConcurrency: 2 });
    const fan = sixAtOnce(call('hold', 'capped', 'concurrency', { ms: 150, key: 'cap' }));
    const results = await Promise.all((await Promise.all([start(fan), start(fan)])).map(finished));
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const stats = await finished(await start({ steps: [call('stats', 'capped', 'concurrency_stats', { key: 'cap' })] }));
    const { maxInFlight, calls } = (stats.output as { structuredContent: { maxInFlight: number; calls: number } }).structuredContent;
    expect(calls).toBe(12);
    expect(maxInFlight).toBe(2);
    expect((await platform.services.installationLimits.status(team, 'capped')).inFlight).toBe(0);
  });

  describe('a half-open probe whose worker died', () => {
    // The worker's own admission path against the real shared state: a ticket that is never left is exactly
    // what a worker killed during its probe leaves behind.
    const gateOf = async () => {
      const installation = (await getInstallationByName(platform.db, team.teamId, 'stuck'))!;
      return { installation, limits: readInstallationLimits(installation.limits) };
    };
    const enter = async (leaseMs: number) => {
      const { installation, limits } = await gateOf();
      return enterCallGate(platform.db, team.teamId, installation, limits, { deadline: Date.now() + 60_000, leaseMs });
    };
    const refusal = (leaseMs = 60_000) => enter(leaseMs).then(
      (ticket: CallTicket) => ticket,
      (error: unknown) => error,
    );
    /** Opens the breaker, waits out its cool-down and takes the probe slot without ever finishing the probe. */
    const strandProbe = async (leaseMs: number) => {
      for (let i = 0; i < 2; i++) await (await enter(leaseMs)).leave('transport_error', 'connection refused');
      expect((await platform.services.installationLimits.status(team, 'stuck')).state).toBe('open');
      await waitFor(async () => (await platform.services.installationLimits.status(team, 'stuck')).resumesAt! <= new Date(), {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: 'the cool-down to end',
      });
      const probe = await enter(leaseMs); // admitted as the probe, and never left
      expect(probe).toBeDefined();
      const status = await platform.services.installationLimits.status(team, 'stuck');
      expect([status.state, status.probesInFlight]).toEqual(['half_open', 1]);
      // Every other call is refused while the probe slot is held.
      const refused = await refusal();
      expect(refused).toBeInstanceOf(GateRefusal);
      expect((refused as GateRefusal).errorClass).toBe('circuit_open');
    };

    it('frees the probe slot when the probe’s lease expires: the next call is admitted as a probe and closes the circuit', async () => {
      await platform.services.installationLimits.set(team, 'stuck', { breaker: { consecutiveFailures: 2, coolDownMs: 300, halfOpenProbes: 1 } });
      await strandProbe(1500);
      // After the lease (the call's timeout plus margin, here 1.5 s) the slot no longer counts: a real run's
      // call goes through as the probe and its success closes the circuit.
      await waitFor(async () => (await platform.services.installationLimits.status(team, 'stuck')).probesInFlight === 0, {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: 'the stranded probe lease to expire',
      });
      const run = await finished(
        await start({ steps: [call('after-crash', 'stuck', 'echo', { message: 'back' }, { retry: { maxAttempts: 5, initialInterval: '50ms' } })] }),
      );
      expect(run.status).toBe('succeeded');
      const status = await platform.services.installationLimits.status(team, 'stuck');
      expect([status.state, status.probesInFlight]).toEqual(['closed', 0]);
      expect(status.history.slice(0, 2).map((h) => `${h.from}->${h.to}`)).toEqual(['half_open->closed', 'open->half_open']);
    });

    it('setting the limits again frees a stuck probe slot at once (its lease would still live for a minute)', async () => {
      const limits = { breaker: { consecutiveFailures: 2, coolDownMs: 300, halfOpenProbes: 1 } };
      await platform.services.installationLimits.set(team, 'stuck', limits);
      await strandProbe(60_000);
      await platform.services.installationLimits.set(team, 'stuck', limits);
      const freed = await platform.services.installationLimits.status(team, 'stuck');
      expect([freed.state, freed.probesInFlight]).toEqual(['half_open', 0]);
      expect(freed.history[0]!.reason).toMatch(/limits changed/);
      const probe = await enter(60_000);
      await probe.leave(null);
      expect((await platform.services.installationLimits.status(team, 'stuck')).state).toBe('closed');
    });
  });
});

