// Writing an installation's call limits (its `limits` JSON), audited.
import type { InstallationLimits } from '@manifold/core';
import type { Database } from './client';
import { recordAudit, type Actor } from './audit';
import { toJson } from './json';
import { inTeam } from './tenant';

/** Replaces the limits of the named installation; null when the team has no such installation. */
export async function setInstallationLimits(db: Database, teamId: string, actor: Actor, name: string, limits: InstallationLimits) {
  return inTeam(db, teamId, async (tx) => {
    const existing = await tx.serverInstallation.findUnique({ where: { teamId_name: { teamId, name } }, select: { id: true } });
    if (!existing) return null;
    const row = await tx.serverInstallation.update({
      where: { id: existing.id },
      data: { limits: toJson(limits) },
      include: { server: true },
    });
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
