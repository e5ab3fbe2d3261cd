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

/** Prisma's `contains` becomes `ILIKE '%…%'` without escaping: a search for "%" or "_" must match itself. */
export const escapeLikePattern = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

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
                { name: { contains: escapeLikePattern(query.q), mode: 'insensitive' as const } },
                { slug: { contains: escapeLikePattern(query.q), mode: 'insensitive' as const } },
                { description: { contains: escapeLikePattern(query.q), mode: 'insensitive' as const } },
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

/** What the audit log and the version history record of an entry: the exact argv (stdio) or URL (http). */
const launchTarget = (entry: Pick<CatalogEntryInput, 'transport' | 'command' | 'url'>) =>
  entry.transport === 'stdio' ? { transport: entry.transport, command: entry.command } : { transport: entry.transport, url: entry.url };

const versionRow = (teamId: string, serverId: string, revision: number, actor: Actor, entry: CatalogEntryInput) => ({
  teamId,
  serverId,
  revision,
  version: entry.version,
  command: entry.command,
  url: entry.url,
  metadata: toJson(entry.metadata),
  actorType: actor.type,
  actorId: actor.id ?? null,
});

export async function createTeamServer(db: Database, teamId: string, actor: Actor, entry: CatalogEntryInput, ip?: string | null) {
  try {
    return await inTeam(db, teamId, async (tx) => {
      const row = await tx.mcpServer.create({ data: { ...entry, metadata: toJson(entry.metadata), ownerKey: teamId, teamId } });
      await tx.mcpServerVersion.create({ data: versionRow(teamId, row.id, 1, actor, entry) });
      await recordAudit(tx, teamId, {
        actor,
        action: 'server.created',
        targetType: 'server',
        targetId: row.id,
        metadata: { slug: row.slug, revision: 1, ...launchTarget(entry) },
        ip: ip ?? null,
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

/** The team's own entry of that slug (never a public one), or null. */
export async function findTeamServer(db: Database, teamId: string, slug: string) {
  return inTeam(db, teamId, (tx) => tx.mcpServer.findUnique({ where: { ownerKey_slug: { ownerKey: teamId, slug } } }));
}

/**
 * Replaces a team entry's settings as a new revision, and moves its installations to it (the caller has shown
 * the new argv to the owner/admin making the change). Unchanged settings add no revision.
 */
export async function updateTeamServer(
  db: Database,
  teamId: string,
  actor: Actor,
  serverId: string,
  entry: Omit<CatalogEntryInput, 'slug'>,
  ip?: string | null,
) {
  return inTeam(db, teamId, async (tx) => {
    const current = await tx.mcpServer.findFirstOrThrow({ where: { id: serverId, teamId } });
    const same =
      JSON.stringify([
        current.name,
        current.description,
        current.version,
        current.transport,
        current.command,
        current.url,
        current.repository,
        current.tags,
        current.metadata,
      ]) ===
      JSON.stringify([
        entry.name,
        entry.description,
        entry.version,
        entry.transport,
        entry.command,
        entry.url,
        entry.repository,
        entry.tags,
        entry.metadata,
      ]);
    if (same) return { server: current, changed: false, movedInstallations: [] as string[] };
    const revision = current.revision + 1;
    const server = await tx.mcpServer.update({ where: { id: serverId }, data: { ...entry, metadata: toJson(entry.metadata), revision } });
    await tx.mcpServerVersion.create({ data: versionRow(teamId, serverId, revision, actor, { ...entry, slug: current.slug }) });
    const installations = await tx.serverInstallation.findMany({ where: { teamId, serverId }, select: { name: true } });
    // An update of the installation rows also tells every worker to drop its cached copy at once.
    await tx.serverInstallation.updateMany({ where: { teamId, serverId }, data: { serverRevision: revision } });
    await recordAudit(tx, teamId, {
      actor,
      action: 'server.updated',
      targetType: 'server',
      targetId: serverId,
      metadata: {
        slug: current.slug,
        revision,
        previous: launchTarget(current),
        ...launchTarget(entry),
        installations: installations.map((i) => i.name),
      },
      ip: ip ?? null,
    });
    return { server, changed: true, movedInstallations: installations.map((i) => i.name) };
  });
}

/** Every revision of a team entry, newest first. */
export async function listTeamServerVersions(db: Database, teamId: string, serverId: string) {
  return inTeam(db, teamId, (tx) =>
    tx.mcpServerVersion.findMany({
      where: { teamId, serverId },
      orderBy: { revision: 'desc' },
      select: { revision: true, version: true, command: true, url: true, actorType: true, actorId: true, createdAt: true },
    }),
  );
}

/**
 * Deletes a team entry. While installations use it this is a conflict unless `force`, which removes them too
 * (their tool snapshots, limits and tokens go with them). Returns the names of the removed installations.
 */
export async function deleteTeamServer(
  db: Database,
  teamId: string,
  actor: Actor,
  serverId: string,
  options: { force: boolean; ip?: string | null },
) {
  return inTeam(db, teamId, async (tx) => {
    const server = await tx.mcpServer.findFirstOrThrow({ where: { id: serverId, teamId } });
    const installations = await tx.serverInstallation.findMany({
      where: { teamId, serverId },
      select: { name: true },
      orderBy: { name: 'asc' },
    });
    const names = installations.map((i) => i.name);
    if (names.length && !options.force)
      throw new AppError(
        'conflict',
        `"${server.slug}" is still installed as ${names.map((n) => `"${n}"`).join(', ')}. Remove those installations first, or delete with ?force=true to remove them too.`,
      );
    await tx.serverInstallation.deleteMany({ where: { teamId, serverId } });
    await tx.mcpServer.delete({ where: { id: serverId } });
    await recordAudit(tx, teamId, {
      actor,
      action: 'server.deleted',
      targetType: 'server',
      targetId: serverId,
      metadata: { slug: server.slug, revision: server.revision, ...launchTarget(server), removedInstallations: names },
      ip: options.ip ?? null,
    });
    return { removedInstallations: names };
  });
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
