// Catalog search for a team (public entries and its own), with each server's current tier, and the
// writes for team-private entries.
import { AppError, type CatalogQuery, type Tier } from '@manifold/core';
import { isUniqueViolation, type Database } from './client';
import { recordAudit, type Actor } from './audit';
import type { CatalogEntryInput } from './catalog';
import { toJson } from './json';
import { inTeam } from './tenant';
import { tierSourceFor } from './certifications';

const visibleTo = (teamId: string) => ({ ownerKey: { in: [teamId, 'public'] } });

/** Public and team entries matching the filters; each with its newest certification's tier ("unverified" if none). */
export async function searchCatalog(db: Database, teamId: string, query: CatalogQuery) {
  const rows = await inTeam(db, teamId, (tx) =>
    tx.mcpServer.findMany({
      where: {
        ...visibleTo(teamId),
        ...(query.transport ? { transport: query.transport } : {}),
        ...(query.tag ? { tags: { has: query.tag } } : {}),
        ...(query.q
          ? {
              OR: [
                { name: { contains: query.q, mode: 'insensitive' as const } },
                { slug: { contains: query.q, mode: 'insensitive' as const } },
                { description: { contains: query.q, mode: 'insensitive' as const } },
                { tags: { has: query.q.toLowerCase() } },
              ],
            }
          : {}),
      },
      include: {
        certifications: {
          where: tierSourceFor(teamId),
          orderBy: { id: 'desc' },
          take: 1,
          select: { tier: true, scores: true, finishedAt: true, serverVersion: true },
        },
      },
      orderBy: [{ name: 'asc' }],
    }),
  );
  // A team's private entry hides a public one of the same slug.
  const bySlug = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!bySlug.has(row.slug) || row.ownerKey === teamId) bySlug.set(row.slug, row);
  return [...bySlug.values()]
    .map(({ certifications, ...server }) => ({
      ...server,
      tier: (certifications[0]?.tier ?? 'unverified') as Tier,
      latestCertification: certifications[0] ?? null,
    }))
    .filter((s) => !query.tier || s.tier === query.tier)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function createTeamServer(db: Database, teamId: string, actor: Actor, entry: CatalogEntryInput) {
  try {
    return await inTeam(db, teamId, async (tx) => {
      const row = await tx.mcpServer.create({ data: { ...entry, metadata: toJson(entry.metadata), ownerKey: teamId, teamId } });
      await recordAudit(tx, teamId, {
        actor,
        action: 'server.created',
        targetType: 'server',
        targetId: row.id,
        metadata: { slug: row.slug, transport: row.transport },
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', `This team already has a catalog entry "${entry.slug}".`, {
        fieldErrors: [{ path: 'slug', message: 'Already in use in this team.' }],
      });
    throw error;
  }
}

export type CatalogSearchRow = Awaited<ReturnType<typeof searchCatalog>>[number];

/** The newest live tools/list of this server among the team's installations (null when none listed yet). */
export async function latestToolsOfServer(db: Database, teamId: string, serverId: string) {
  const row = await inTeam(db, teamId, (tx) =>
    tx.serverInstallation.findFirst({
      where: { teamId, serverId, toolsSnapshotAt: { not: null } },
      orderBy: { toolsSnapshotAt: 'desc' },
      select: { name: true, toolsSnapshot: true, toolsSnapshotAt: true },
    }),
  );
  return row ? { installation: row.name, tools: row.toolsSnapshot, listedAt: row.toolsSnapshotAt } : null;
}
