// GET/PATCH /api/v1/installations/:name through the real routes: the circuit breaker's shared state (state,
// failure counts, openedAt, when calls resume, probes in flight, recent transitions) is readable, only by the
// installation's own team; hostile limits are refused with field paths; the history stays bounded. The gate is
// driven through the same shared state and rules the worker uses (@manifold/db + @manifold/core call-gate-rules).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideAdmission, decideCompletion, readInstallationLimits, type InstallationLimits } from '@manifold/core';
import { CIRCUIT_HISTORY_LIMIT, getInstallationByName, releaseCallLease, updateCallGate } from '@manifold/db';
import type { ActingContext } from '@manifold/services';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let keyA: string;
let keyB: string;

interface BreakerBody {
  breaker: {
    enabled: boolean;
    state: string;
    consecutiveFailures: number;
    windowCalls: number;
    windowFailures: number;
    openedAt: string | null;
    resumesAt: string | null;
    probesInFlight: number;
    callsInFlight: number;
    history: Array<{ from: string; to: string; reason: string; at: string }>;
  };
}

const get = (key: string, name: string) => h.call('/api/v1/installations/[name]', 'GET', { key, params: { name } });
const patch = (key: string, name: string, body: unknown) => h.call('/api/v1/installations/[name]', 'PATCH', { key, params: { name }, body });
const breakerOf = async (key: string, name: string) => ((await (await get(key, name)).json()) as BreakerBody).breaker;

/** One call through the gate as the worker makes it: admitted (or not), then finished with `outcome`. */
async function callThrough(teamId: string, name: string, outcome: 'success' | 'failure' | 'never-finish') {
  const installation = (await getInstallationByName(h.db, teamId, name))!;
  const limits: InstallationLimits = readInstallationLimits(installation.limits);
  const { result, leaseId } = await updateCallGate(h.db, teamId, installation.id, (gate) => {
    const decision = decideAdmission(gate, limits, 60_000);
    return { result: decision, change: decision.admitted ? decision.change : undefined };
  });
  if (!result.admitted || outcome === 'never-finish') return result;
  await releaseCallLease(h.db, teamId, installation.id, leaseId, (gate, { wasProbe }) =>
    decideCompletion(gate, limits.breaker!, { verdict: outcome, wasProbe, detail: outcome === 'failure' ? 'connection refused' : undefined }),
  );
  return result;
}

beforeAll(async () => {
  h = await startApiHarness();
  keyA = (await h.key(h.a)).key;
  keyB = (await h.key(h.b)).key;
  const ownerA: ActingContext = { teamId: h.a.teamId, actor: { type: 'user', id: h.a.userId }, role: 'owner' };
  await h.services.installations.install(ownerA, { server: 'server-everything', name: 'guarded' });
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('the circuit breaker over REST', () => {
  it('shows a closed breaker with zero counts before any call, and the limits that configure it', async () => {
    const response = await patch(keyA, 'guarded', { limits: { breaker: { consecutiveFailures: 2, coolDownMs: 600_000 } } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as BreakerBody & { limits: InstallationLimits };
    expect(body.limits.breaker?.coolDownMs).toBe(600_000);
    expect(body.breaker).toEqual({
      enabled: true,
      state: 'closed',
      consecutiveFailures: 0,
      windowCalls: 0,
      windowFailures: 0,
      openedAt: null,
      resumesAt: null,
      probesInFlight: 0,
      callsInFlight: 0,
      history: [],
    });
  });

  it('shows failures, then the open circuit with when calls resume and the transition that opened it', async () => {
    await callThrough(h.a.teamId, 'guarded', 'failure');
    const counting = await breakerOf(keyA, 'guarded');
    expect([counting.state, counting.consecutiveFailures, counting.windowCalls, counting.windowFailures]).toEqual(['closed', 1, 1, 1]);

    await callThrough(h.a.teamId, 'guarded', 'failure');
    const open = await breakerOf(keyA, 'guarded');
    expect(open.state).toBe('open');
    expect(open.openedAt).not.toBeNull();
    expect(Date.parse(open.resumesAt!) - Date.parse(open.openedAt!)).toBe(600_000);
    expect(open.history).toEqual([
      { from: 'closed', to: 'open', reason: '2 failures in a row; last: connection refused', at: expect.any(String) as string },
    ]);
    expect(await callThrough(h.a.teamId, 'guarded', 'success')).toMatchObject({ admitted: false, reason: 'circuit_open' });
  });

  it('shows a half-open probe in flight, and a re-PATCH of the limits frees its slot', async () => {
    // A short cool-down, set the way an operator would: the limits change itself frees the circuit for a probe.
    await patch(keyA, 'guarded', { limits: { breaker: { consecutiveFailures: 2, coolDownMs: 100 } } });
    expect(await callThrough(h.a.teamId, 'guarded', 'never-finish')).toMatchObject({ admitted: true, isProbe: true });
    const probing = await breakerOf(keyA, 'guarded');
    expect([probing.state, probing.probesInFlight, probing.callsInFlight, probing.resumesAt]).toEqual(['half_open', 1, 1, null]);

    const freed = ((await (await patch(keyA, 'guarded', { limits: { breaker: { consecutiveFailures: 2, coolDownMs: 100 } } })).json()) as BreakerBody)
      .breaker;
    expect([freed.state, freed.probesInFlight]).toEqual(['half_open', 0]);
    expect(freed.history[0]).toMatchObject({ from: 'half_open', to: 'half_open', reason: expect.stringContaining('limits changed') as string });

    await callThrough(h.a.teamId, 'guarded', 'success');
    const closed = await breakerOf(keyA, 'guarded');
    expect(closed.state).toBe('closed');
    expect(closed.history.map((e) => `${e.from}->${e.to}`)).toEqual([
      'half_open->closed',
      'half_open->half_open',
      'open->half_open',
      'closed->open',
    ]);
  });

  it("does not let team B read team A's installation or its breaker; B's own same-named installation shows only B's state", async () => {
    const other = await get(keyB, 'guarded');
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(await other.text()).not.toContain('connection refused');
    expect((await patch(keyB, 'guarded', { limits: {} })).status).toBe(404);

    const ownerB: ActingContext = { teamId: h.b.teamId, actor: { type: 'user', id: h.b.userId }, role: 'owner' };
    await h.services.installations.install(ownerB, { server: 'server-everything', name: 'guarded' });
    const mine = await breakerOf(keyB, 'guarded');
    expect([mine.enabled, mine.state, mine.history]).toEqual([false, 'closed', []]);
  });

  it('refuses hostile breaker settings with field paths and leaves the breaker as it was', async () => {
    const response = await patch(keyA, 'guarded', {
      limits: { breaker: { halfOpenProbes: 0, coolDownMs: 1e12, failureRatio: 2, consecutiveFailures: '5; DROP TABLE' } },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((e) => e.path).sort()).toEqual([
      'limits.breaker.consecutiveFailures',
      'limits.breaker.coolDownMs',
      'limits.breaker.failureRatio',
      'limits.breaker.halfOpenProbes',
    ]);
    expect((await breakerOf(keyA, 'guarded')).state).toBe('closed');
  });

  it(`keeps only the newest ${CIRCUIT_HISTORY_LIMIT} transitions per installation`, async () => {
    await patch(keyA, 'guarded', { limits: { breaker: { consecutiveFailures: 1, coolDownMs: 100 } } });
    // Each round: a failure opens the circuit (closed → open), the limits change frees it (open → half_open),
    // a probe success closes it (half_open → closed): three transitions.
    for (let round = 0; round < 35; round++) {
      await callThrough(h.a.teamId, 'guarded', 'failure');
      await patch(keyA, 'guarded', { limits: { breaker: { consecutiveFailures: 1, coolDownMs: 100 } } });
      await callThrough(h.a.teamId, 'guarded', 'success');
    }
    const installation = (await getInstallationByName(h.db, h.a.teamId, 'guarded'))!;
    const stored = await h.services.installationLimits.status(
      { teamId: h.a.teamId, actor: { type: 'user', id: h.a.userId }, role: 'owner' },
      'guarded',
    );
    expect(stored.history[0]).toMatchObject({ from: 'half_open', to: 'closed' });
    const count = await h.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.team_id', ${h.a.teamId}, true)`;
      return tx.circuitEvent.count({ where: { installationId: installation.id } });
    });
    expect(count).toBe(CIRCUIT_HISTORY_LIMIT);
  }, 120_000);
});
