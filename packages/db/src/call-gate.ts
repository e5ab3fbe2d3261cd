// The call gate of an installation, shared by every worker through Postgres: circuit breaker, rate limiter
// (calls spaced 1/ratePerSecond apart, each caller reserving the next slot) and concurrency cap (expiring
// leases). Each admission and each completion is one transaction holding the installation's gate row lock.
import type { BreakerSettings } from '@manifold/core';
import type { Database } from './client';
import { inTeam, type Tx } from './tenant';

export type CircuitStateName = 'closed' | 'open' | 'half_open';

export interface GateLimits {
  ratePerSecond?: number | undefined;
  maxConcurrency?: number | undefined;
  breaker?: BreakerSettings | undefined;
}

export type Admission =
  | { admitted: true; leaseId: string | null; isProbe: boolean; /** wait this long for the reserved rate slot */ waitMs: number }
  | { admitted: false; reason: 'circuit_open'; retryAfterMs: number }
  | { admitted: false; reason: 'busy' };

interface GateRow {
  state: CircuitStateName;
  consecutiveFailures: number;
  windowCalls: number;
  windowFailures: number;
  windowStartedAt: Date;
  openedAt: Date | null;
  probesInFlight: number;
  nextSlotAt: Date;
  now: Date;
}

async function lockGate(tx: Tx, teamId: string, installationId: string): Promise<GateRow> {
  await tx.$executeRaw`INSERT INTO "InstallationCallGate" ("installationId", "teamId", "updatedAt") VALUES (${installationId}, ${teamId}, now()) ON CONFLICT DO NOTHING`;
  const rows = await tx.$queryRaw<GateRow[]>`
    SELECT "state"::text AS "state", "consecutiveFailures", "windowCalls", "windowFailures", "windowStartedAt", "openedAt",
           "probesInFlight", "nextSlotAt", clock_timestamp() AS "now"
    FROM "InstallationCallGate" WHERE "installationId" = ${installationId} AND "teamId" = ${teamId} FOR UPDATE`;
  return rows[0]!;
}

async function recordTransition(
  tx: Tx,
  teamId: string,
  installationId: string,
  from: CircuitStateName,
  to: CircuitStateName,
  reason: string,
) {
  await tx.circuitEvent.create({ data: { teamId, installationId, fromState: from, toState: to, reason } });
}

/** Asks to make one call now. `leaseMs` bounds how long a lease lives if its worker never returns it. */
export async function admitCall(
  db: Database,
  teamId: string,
  installationId: string,
  limits: GateLimits,
  leaseMs: number,
): Promise<Admission> {
  return inTeam(db, teamId, async (tx) => {
    const gate = await lockGate(tx, teamId, installationId);
    const now = gate.now.getTime();
    let isProbe = false;
    if (limits.breaker && gate.state !== 'closed') {
      const coolDownLeft = gate.state === 'open' ? limits.breaker.coolDownMs - (now - (gate.openedAt?.getTime() ?? 0)) : 0;
      if (coolDownLeft > 0) return { admitted: false, reason: 'circuit_open', retryAfterMs: coolDownLeft };
      // Cool-down over (or already half-open): let a limited number of probes through.
      const probes = gate.state === 'open' ? 0 : gate.probesInFlight;
      if (probes >= limits.breaker.halfOpenProbes)
        return { admitted: false, reason: 'circuit_open', retryAfterMs: Math.min(limits.breaker.coolDownMs, 1000) };
      isProbe = true;
    }

    let leaseId: string | null = null;
    if (limits.maxConcurrency !== undefined) {
      await tx.installationCallLease.deleteMany({ where: { installationId, teamId, expiresAt: { lte: gate.now } } });
      const inFlight = await tx.installationCallLease.count({ where: { installationId, teamId } });
      if (inFlight >= limits.maxConcurrency) return { admitted: false, reason: 'busy' };
      leaseId = (
        await tx.installationCallLease.create({
          data: { teamId, installationId, expiresAt: new Date(now + leaseMs) },
          select: { id: true },
        })
      ).id;
    }

    let waitMs = 0;
    const data: Record<string, unknown> = {};
    if (limits.ratePerSecond !== undefined) {
      const slot = Math.max(gate.nextSlotAt.getTime(), now);
      waitMs = slot - now;
      data.nextSlotAt = new Date(slot + 1000 / limits.ratePerSecond);
    }
    if (isProbe) {
      if (gate.state === 'open') {
        data.state = 'half_open';
        await recordTransition(tx, teamId, installationId, 'open', 'half_open', 'Cool-down over: letting a probe call through.');
      }
      data.probesInFlight = (gate.state === 'open' ? 0 : gate.probesInFlight) + 1;
    }
    if (Object.keys(data).length) await tx.installationCallGate.update({ where: { installationId }, data });
    return { admitted: true, leaseId, isProbe, waitMs };
  });
}

/** How a call counts for the breaker: failures of the server, successes, or neither (e.g. bad arguments). */
export type CallVerdict = 'success' | 'failure' | 'neutral';

/** Returns the lease and feeds the call's outcome to the breaker. */
export async function completeCall(
  db: Database,
  teamId: string,
  installationId: string,
  call: { leaseId: string | null; isProbe: boolean; verdict: CallVerdict; breaker?: BreakerSettings | undefined; detail?: string },
): Promise<void> {
  await inTeam(db, teamId, async (tx) => {
    if (call.leaseId) await tx.installationCallLease.deleteMany({ where: { id: call.leaseId, teamId } });
    if (!call.breaker) return;
    const settings = call.breaker;
    const gate = await lockGate(tx, teamId, installationId);
    const now = gate.now;
    const probesInFlight = call.isProbe ? Math.max(0, gate.probesInFlight - 1) : gate.probesInFlight;

    if (gate.state === 'half_open' && call.verdict !== 'neutral') {
      const to: CircuitStateName = call.verdict === 'success' ? 'closed' : 'open';
      await tx.installationCallGate.update({
        where: { installationId },
        data: {
          state: to,
          probesInFlight: 0,
          consecutiveFailures: 0,
          windowCalls: 0,
          windowFailures: 0,
          windowStartedAt: now,
          ...(to === 'open' ? { openedAt: now } : {}),
        },
      });
      await recordTransition(
        tx,
        teamId,
        installationId,
        'half_open',
        to,
        to === 'closed' ? 'A probe call succeeded.' : `A probe call failed${call.detail ? `: ${call.detail}` : '.'}`,
      );
      return;
    }
    if (gate.state !== 'closed' || call.verdict === 'neutral') {
      if (probesInFlight !== gate.probesInFlight)
        await tx.installationCallGate.update({ where: { installationId }, data: { probesInFlight } });
      return;
    }

    const isWindowOver = now.getTime() - gate.windowStartedAt.getTime() > settings.windowMs;
    const windowCalls = (isWindowOver ? 0 : gate.windowCalls) + 1;
    const windowFailures = (isWindowOver ? 0 : gate.windowFailures) + (call.verdict === 'failure' ? 1 : 0);
    const consecutiveFailures = call.verdict === 'failure' ? gate.consecutiveFailures + 1 : 0;
    const trips =
      call.verdict === 'failure' &&
      (consecutiveFailures >= settings.consecutiveFailures ||
        (windowCalls >= settings.minimumCalls && windowFailures / windowCalls >= settings.failureRatio));
    await tx.installationCallGate.update({
      where: { installationId },
      data: trips
        ? {
            state: 'open',
            openedAt: now,
            consecutiveFailures: 0,
            windowCalls: 0,
            windowFailures: 0,
            windowStartedAt: now,
            probesInFlight: 0,
          }
        : { consecutiveFailures, windowCalls, windowFailures, ...(isWindowOver ? { windowStartedAt: now } : {}) },
    });
    if (trips)
      await recordTransition(
        tx,
        teamId,
        installationId,
        'closed',
        'open',
        consecutiveFailures >= settings.consecutiveFailures
          ? `${consecutiveFailures} failures in a row${call.detail ? `; last: ${call.detail}` : ''}`
          : `${windowFailures} of ${windowCalls} calls failed${call.detail ? `; last: ${call.detail}` : ''}`,
      );
  });
}

/** The breaker's state and recent transitions, for the server page. */
export async function getCallGateStatus(db: Database, teamId: string, installationId: string, historyLimit = 20) {
  return inTeam(db, teamId, async (tx) => {
    const gate = await tx.installationCallGate.findFirst({ where: { installationId, teamId } });
    const events = await tx.circuitEvent.findMany({ where: { installationId, teamId }, orderBy: { id: 'desc' }, take: historyLimit });
    const inFlight = await tx.installationCallLease.count({ where: { installationId, teamId, expiresAt: { gt: new Date() } } });
    return { gate, events, inFlight };
  });
}
