// Certification records (history per server), tier-drop alerts for the teams using a server, and the team
// policy on minimum tiers. System certifications (the catalog's canonical configuration) are shared by every
// team and alone set a public server's tier; a team's certification (through its own installation, whose
// settings it controls) is that team's private report, and sets a tier only for the team's own private server.
// Alerts and policies are team data and go through inTeam(). Evaluating and re-certifying is the worker's
// maintenance across all teams, so those functions take the SystemDatabase, which RLS does not filter.
import { tierRank, type Tier } from '@manifold/core';
import type { Prisma } from './generated/prisma/client';
import type { Database, SystemDatabase } from './client';
import { recordAudit } from './audit';
import { toJson } from './json';
import { inTeam } from './tenant';

/** The catalog entry a certification evaluates, with the team (if any) that owns it. */
export async function getServerForCertification(system: SystemDatabase, serverId: string) {
  return system.mcpServer.findUnique({ where: { id: serverId } });
}

export interface NewCertification {
  serverId: string;
  serverVersion: string;
  tier: Tier;
  scores: Record<string, number>;
  evidence: unknown;
  evaluatorVersion: string;
  trigger: string;
  requestedByTeam: string | null;
  /** Default: "team" when a team asked, else "system". A system row asked for by a team keeps requestedByTeam. */
  scope?: 'system' | 'team';
  startedAt: Date;
}

/**
 * The certifications that decide the tier team `teamId` sees: system ones, and the team's own reports of its
 * own private servers. Another team's report never counts, nor the team's report of a public server.
 */
export function tierSourceFor(teamId: string): Prisma.CertificationWhereInput {
  return { OR: [{ scope: 'system' }, { scope: 'team', teamId, server: { is: { teamId } } }] };
}

/**
 * Stores an evaluation. A system evaluation (no requesting team) is the server's tier for every team: when it
 * dropped, every team with an installation of the server gets an alert. A team's evaluation is that team's
 * report; it is the tier (and alerts) only for the team's own private server, and never reaches another team.
 */
export async function insertCertification(system: SystemDatabase, input: NewCertification) {
  const server = await system.mcpServer.findUniqueOrThrow({ where: { id: input.serverId }, select: { teamId: true } });
  const scope = input.scope ?? (input.requestedByTeam ? 'team' : 'system');
  const teamId = scope === 'team' ? input.requestedByTeam : null;
  if (scope === 'team' && !teamId) throw new Error('A team certification needs the team that asked for it.');
  // Whose tier this row changes: everyone's (a system row of a public server), the owning team's (any row of
  // its private server), or nobody's (a team's report of a public server).
  const setsTierFor = scope === 'system' ? server.teamId : server.teamId === teamId ? teamId : undefined;
  const previous =
    setsTierFor === undefined
      ? null
      : await system.certification.findFirst({
          where: { serverId: input.serverId, ...(setsTierFor === null ? { scope: 'system' as const } : tierSourceFor(setsTierFor)) },
          orderBy: { id: 'desc' },
          select: { tier: true },
        });
  const row = await system.certification.create({
    data: { ...input, scope, teamId, scores: toJson(input.scores), evidence: toJson(input.evidence) },
  });
  const previousTier = previous?.tier ?? null;
  let flaggedTeams = 0;
  if (setsTierFor !== undefined && previousTier && tierRank(input.tier) < tierRank(previousTier)) {
    const users = await system.serverInstallation.findMany({
      where: { serverId: input.serverId, ...(setsTierFor ? { teamId: setsTierFor } : {}) },
      select: { teamId: true },
      distinct: ['teamId'],
    });
    for (const { teamId } of users) {
      await system.$transaction(async (tx) => {
        await tx.serverTierAlert.create({
          data: { teamId, serverId: input.serverId, fromTier: previousTier, toTier: input.tier, certificationId: row.id },
        });
        await recordAudit(tx, teamId, {
          actor: { type: 'system', id: 'certification' },
          action: 'server.tier_dropped',
          targetType: 'server',
          targetId: input.serverId,
          metadata: { from: previousTier, to: input.tier, certificationId: row.id },
        });
      });
      flaggedTeams++;
    }
  }
  return { row, previousTier, flaggedTeams };
}

/** A server's system certifications and this team's own reports, newest first. */
export async function listCertifications(db: Database, teamId: string, serverId: string, limit = 50) {
  return inTeam(db, teamId, (tx) =>
    tx.certification.findMany({
      where: { serverId, OR: [{ scope: 'system' }, { scope: 'team', teamId }] },
      orderBy: { id: 'desc' },
      take: limit,
    }),
  );
}

/** Inside the team, so the team's own private server and reports are visible; other teams' are not. */
export async function getCertification(db: Database, teamId: string, id: string) {
  return inTeam(db, teamId, (tx) =>
    tx.certification.findFirst({ where: { id, OR: [{ scope: 'system' }, { scope: 'team', teamId }] }, include: { server: true } }),
  );
}

/** Servers due again: certified before on another version, or whose tools changed (pending) since the last evaluation. */
export async function serversToRecertify(
  system: SystemDatabase,
): Promise<Array<{ serverId: string; trigger: 'schedule' | 'new_version' | 'tools_changed' }>> {
  const servers = await system.mcpServer.findMany({
    where: { certifications: { some: {} } },
    select: {
      id: true,
      version: true,
      // The sweep is the system's: it re-evaluates the canonical configuration, after the last system result
      // (a server only teams have certified so far gets its first system certification here).
      certifications: { orderBy: [{ scope: 'asc' }, { id: 'desc' }], take: 1, select: { serverVersion: true, finishedAt: true } },
    },
  });
  const due: Array<{ serverId: string; trigger: 'schedule' | 'new_version' | 'tools_changed' }> = [];
  for (const server of servers) {
    const last = server.certifications[0]!;
    if (last.serverVersion !== server.version) {
      due.push({ serverId: server.id, trigger: 'new_version' });
      continue;
    }
    const changed = await system.toolSnapshot.count({
      where: { installation: { serverId: server.id }, status: 'pending', createdAt: { gt: last.finishedAt } },
    });
    due.push({ serverId: server.id, trigger: changed > 0 ? 'tools_changed' : 'schedule' });
  }
  return due;
}

export async function getTeamServerPolicy(db: Database, teamId: string): Promise<{ minTier: Tier }> {
  const row = await inTeam(db, teamId, (tx) => tx.teamServerPolicy.findUnique({ where: { teamId } }));
  return { minTier: row?.minTier ?? 'unverified' };
}

export async function setTeamServerPolicy(db: Database, teamId: string, actor: Parameters<typeof recordAudit>[2]['actor'], minTier: Tier) {
  return inTeam(db, teamId, async (tx) => {
    const row = await tx.teamServerPolicy.upsert({ where: { teamId }, create: { teamId, minTier }, update: { minTier } });
    await recordAudit(tx, teamId, { actor, action: 'policy.min_tier_set', targetType: 'team', targetId: teamId, metadata: { minTier } });
    return { minTier: row.minTier };
  });
}

/** For installation names of a team: the server slug and its current tier (newest certification, else unverified). */
export async function currentTiersOfInstallations(db: Database, teamId: string, names: string[]) {
  if (names.length === 0) return new Map<string, { server: string; tier: Tier }>();
  const rows = await inTeam(db, teamId, (tx) =>
    tx.serverInstallation.findMany({
      where: { teamId, name: { in: names } },
      select: {
        name: true,
        server: {
          select: { slug: true, certifications: { where: tierSourceFor(teamId), orderBy: { id: 'desc' }, take: 1, select: { tier: true } } },
        },
      },
    }),
  );
  return new Map(rows.map((r) => [r.name, { server: r.server.slug, tier: (r.server.certifications[0]?.tier ?? 'unverified') as Tier }]));
}

/** Unacknowledged tier drops of servers the team uses, newest first, with the server's slug. */
export async function listTierAlerts(db: Database, teamId: string) {
  const { alerts, servers } = await inTeam(db, teamId, async (tx) => {
    const alerts = await tx.serverTierAlert.findMany({ where: { teamId, acknowledgedAt: null }, orderBy: { id: 'desc' }, take: 50 });
    const servers = await tx.mcpServer.findMany({ where: { id: { in: alerts.map((a) => a.serverId) } }, select: { id: true, slug: true } });
    return { alerts, servers };
  });
  const slugs = new Map(servers.map((s) => [s.id, s.slug]));
  return alerts.map((a) => ({ ...a, serverSlug: slugs.get(a.serverId) ?? a.serverId }));
}
