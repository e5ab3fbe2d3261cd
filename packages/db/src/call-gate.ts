// The shared state of an installation's call gate (circuit breaker, rate slot, leases), for every worker through
// Postgres. This file only locks, reads and writes: what to change is decided by the rules in @manifold/core
// (call-gate-rules.ts), passed in as `decide`, and applied in the same transaction that holds the gate row lock.
import type { CallGateChange, CallGateState, CallGateView, CircuitStateName, CircuitTransition } from '@manifold/core';
import type { Database } from './client';
import { inTeam, type Tx } from './tenant';

/** Transitions kept per installation: the history is for reading, not an audit log. */
export const CIRCUIT_HISTORY_LIMIT = 100;

interface GateRow {
  state: CircuitStateName;
  consecutiveFailures: number;
  windowCalls: number;
  windowFailures: number;
  windowStartedAt: Date;
  openedAt: Date | null;
  nextSlotAt: Date;
  now: Date;
}

/**
 * Locks the gate row (creating it on first use), drops leases that expired and counts the live ones, all on the
 * database's clock so that workers with skewed clocks agree.
 */
export async function readLocked(tx: Tx, teamId: string, installationId: string): Promise<CallGateView> {
  await tx.$executeRaw`INSERT INTO "InstallationCallGate" ("installationId", "teamId", "updatedAt") VALUES (${installationId}, ${teamId}, now()) ON CONFLICT DO NOTHING`;
  const [gate] = await tx.$queryRaw<GateRow[]>`
    SELECT "state"::text AS "state", "consecutiveFailures", "windowCalls", "windowFailures", "windowStartedAt", "openedAt",
           "nextSlotAt", clock_timestamp() AS "now"
    FROM "InstallationCallGate" WHERE "installationId" = ${installationId} AND "teamId" = ${teamId} FOR UPDATE`;
  await tx.$executeRaw`DELETE FROM "InstallationCallLease" WHERE "installationId" = ${installationId} AND "teamId" = ${teamId} AND "expiresAt" <= ${gate!.now}`;
  const leases = await countLiveLeases(tx, teamId, installationId);
  return {
    state: gate!.state,
    consecutiveFailures: gate!.consecutiveFailures,
    windowCalls: gate!.windowCalls,
    windowFailures: gate!.windowFailures,
    windowStartedAt: gate!.windowStartedAt.getTime(),
    openedAt: gate!.openedAt?.getTime() ?? null,
    nextSlotAt: gate!.nextSlotAt.getTime(),
    now: gate!.now.getTime(),
    leasesInFlight: leases.total,
    probesInFlight: leases.probes,
  };
}

/** Unexpired leases of the installation, and how many of them are half-open probe slots. */
async function countLiveLeases(tx: Tx, teamId: string, installationId: string): Promise<{ total: number; probes: number }> {
  const [leases] = await tx.$queryRaw<Array<{ total: number; probes: number }>>`
    SELECT count(*)::int AS "total", (count(*) FILTER (WHERE "isProbe"))::int AS "probes"
    FROM "InstallationCallLease" WHERE "installationId" = ${installationId} AND "teamId" = ${teamId} AND "expiresAt" > clock_timestamp()`;
  return { total: leases?.total ?? 0, probes: leases?.probes ?? 0 };
}

const toDate = (ms: number | null | undefined) => (ms === null || ms === undefined ? ms : new Date(ms));

async function recordTransition(tx: Tx, teamId: string, installationId: string, transition: CircuitTransition) {
  await tx.circuitEvent.create({
    data: { teamId, installationId, fromState: transition.from, toState: transition.to, reason: transition.reason.slice(0, 500) },
  });
  // Bounded: uuid(7) ids sort by time, so everything past the newest CIRCUIT_HISTORY_LIMIT goes.
  await tx.$executeRaw`
    DELETE FROM "CircuitEvent" WHERE "installationId" = ${installationId} AND "teamId" = ${teamId} AND "id" IN (
      SELECT "id" FROM "CircuitEvent" WHERE "installationId" = ${installationId} AND "teamId" = ${teamId}
      ORDER BY "id" DESC OFFSET ${CIRCUIT_HISTORY_LIMIT})`;
}

export async function applyChange(tx: Tx, teamId: string, installationId: string, change: CallGateChange): Promise<string | null> {
  if (change.releaseProbes)
    await tx.installationCallLease.updateMany({ where: { installationId, teamId, isProbe: true }, data: { isProbe: false } });
  let leaseId: string | null = null;
  if (change.lease)
    leaseId = (
      await tx.installationCallLease.create({
        data: { teamId, installationId, expiresAt: new Date(change.lease.expiresAt), isProbe: change.lease.isProbe },
        select: { id: true },
      })
    ).id;
  const gate: Partial<CallGateState> = change.gate ?? {};
  if (Object.keys(gate).length)
    await tx.installationCallGate.update({
      where: { installationId },
      data: {
        ...(gate.state !== undefined ? { state: gate.state } : {}),
        ...(gate.consecutiveFailures !== undefined ? { consecutiveFailures: gate.consecutiveFailures } : {}),
        ...(gate.windowCalls !== undefined ? { windowCalls: gate.windowCalls } : {}),
        ...(gate.windowFailures !== undefined ? { windowFailures: gate.windowFailures } : {}),
        ...(gate.windowStartedAt !== undefined ? { windowStartedAt: new Date(gate.windowStartedAt) } : {}),
        ...(gate.openedAt !== undefined ? { openedAt: toDate(gate.openedAt) } : {}),
        ...(gate.nextSlotAt !== undefined ? { nextSlotAt: new Date(gate.nextSlotAt) } : {}),
      },
    });
  if (change.transition) await recordTransition(tx, teamId, installationId, change.transition);
  return leaseId;
}

/** Runs `decide` on the locked gate and applies its change; a lease it asks for is returned as `leaseId`. */
export async function updateCallGate<T>(
  db: Database,
  teamId: string,
  installationId: string,
  decide: (gate: CallGateView) => { result: T; change?: CallGateChange | undefined },
): Promise<{ result: T; leaseId: string | null }> {
  return inTeam(db, teamId, async (tx) => {
    const { result, change } = decide(await readLocked(tx, teamId, installationId));
    const leaseId = change ? await applyChange(tx, teamId, installationId, change) : null;
    return { result, leaseId };
  });
}

/**
 * Returns a lease and, when `decide` is given, lets it change the gate in the same transaction. `wasProbe` tells
 * it whether the lease still held a live probe slot (not expired, not released by a transition since).
 */
export async function releaseCallLease(
  db: Database,
  teamId: string,
  installationId: string,
  leaseId: string | null,
  decide?: (gate: CallGateView, released: { wasProbe: boolean }) => CallGateChange,
): Promise<void> {
  if (!decide && !leaseId) return;
  await inTeam(db, teamId, async (tx) => {
    if (!decide) {
      await tx.installationCallLease.deleteMany({ where: { id: leaseId!, teamId } });
      return;
    }
    // Lock first, so the released slot and the decision are one step for every other worker.
    const gate = await readLocked(tx, teamId, installationId);
    const released = leaseId
      ? await tx.$queryRaw<Array<{ isProbe: boolean }>>`
          DELETE FROM "InstallationCallLease" WHERE "id" = ${leaseId} AND "teamId" = ${teamId} RETURNING "isProbe"`
      : [];
    const wasProbe = released[0]?.isProbe ?? false;
    const view: CallGateView = {
      ...gate,
      leasesInFlight: gate.leasesInFlight - released.length,
      probesInFlight: gate.probesInFlight - (wasProbe ? 1 : 0),
    };
    await applyChange(tx, teamId, installationId, decide(view, { wasProbe }));
  });
}

/** The gate's state, its live leases and recent transitions (newest first), for the server page and the API. */
export async function getCallGateStatus(db: Database, teamId: string, installationId: string, historyLimit = 20) {
  return inTeam(db, teamId, async (tx) => {
    const gate = await tx.installationCallGate.findFirst({ where: { installationId, teamId } });
    const events = await tx.circuitEvent.findMany({ where: { installationId, teamId }, orderBy: { id: 'desc' }, take: historyLimit });
    const leases = await countLiveLeases(tx, teamId, installationId);
    return { gate, events, inFlight: leases.total, probesInFlight: leases.probes };
  });
}
