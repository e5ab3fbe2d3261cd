// Writing an installation's call limits (its `limits` JSON), audited.
import { readInstallationLimits, type CallGateChange, type CallGateView, type InstallationLimits } from '@manifold/core';
import type { Database } from './client';
import { recordAudit, type Actor } from './audit';
import { applyChange, readLocked } from './call-gate';
import { toJson } from './json';
import { inTeam } from './tenant';

/** Decides what new limits do to an existing call gate (the rule is the caller's: @manifold/core decideLimitsChange). */
export type LimitsChangeRule = (gate: CallGateView, before: InstallationLimits, after: InstallationLimits) => CallGateChange;

/**
 * Replaces the limits of the named installation; null when the team has no such installation. Where the
 * installation already has a call gate, `onGate` adjusts it in the same transaction.
 */
export async function setInstallationLimits(
  db: Database,
  teamId: string,
  actor: Actor,
  name: string,
  limits: InstallationLimits,
  onGate?: LimitsChangeRule,
) {
  return inTeam(db, teamId, async (tx) => {
    const existing = await tx.serverInstallation.findUnique({
      where: { teamId_name: { teamId, name } },
      select: { id: true, limits: true, callGate: { select: { installationId: true } } },
    });
    if (!existing) return null;
    const row = await tx.serverInstallation.update({
      where: { id: existing.id },
      data: { limits: toJson(limits) },
      include: { server: true },
    });
    if (onGate && existing.callGate) {
      const gate = await readLocked(tx, teamId, existing.id);
      await applyChange(tx, teamId, existing.id, onGate(gate, readInstallationLimits(existing.limits), limits));
    }
    await recordAudit(tx, teamId, {
      actor,
      action: 'installation.limits_set',
      targetType: 'installation',
      targetId: row.id,
      metadata: { name, limits },
    });
    return row;
  });
}
