// The server catalog: public entries (seeded) and team-private ones.
import type { CatalogEntry } from '@manifold/core';
import type { Database, SystemDatabase } from './client';
import { toJson } from './json';
import { inTeam } from './tenant';

/** The catalog entry as stored; its shape is core's (also what server.json import produces). */
export type CatalogEntryInput = CatalogEntry;

/** Idempotent: seeding twice updates the entry in place. Public entries belong to no team: the system path. */
export async function upsertPublicServer(db: SystemDatabase, entry: CatalogEntryInput) {
  const data = { ...entry, metadata: toJson(entry.metadata) };
  return db.mcpServer.upsert({
    where: { ownerKey_slug: { ownerKey: 'public', slug: entry.slug } },
    create: { ...data, ownerKey: 'public', teamId: null },
    update: data,
  });
}

/** A catalog entry the team may use: its own private entry wins over a public one of the same slug. */
export async function findServerForTeam(db: Database, teamId: string, slug: string) {
  const rows = await inTeam(db, teamId, (tx) => tx.mcpServer.findMany({ where: { slug, ownerKey: { in: [teamId, 'public'] } } }));
  return rows.find((r) => r.ownerKey === teamId) ?? rows[0] ?? null;
}

export async function listCatalog(db: Database, teamId: string) {
  return inTeam(db, teamId, (tx) => tx.mcpServer.findMany({ where: { ownerKey: { in: [teamId, 'public'] } }, orderBy: [{ name: 'asc' }] }));
}

/** A catalog entry only `teamId` can see and install (e.g. an internal server). */
export async function createPrivateServer(db: Database, teamId: string, entry: CatalogEntryInput) {
  return inTeam(db, teamId, async (tx) => {
    const row = await tx.mcpServer.create({ data: { ...entry, metadata: toJson(entry.metadata), ownerKey: teamId, teamId } });
    // Revision 1 of its history, as an entry created through the catalog service has.
    await tx.mcpServerVersion.create({
      data: {
        teamId,
        serverId: row.id,
        revision: 1,
        version: entry.version,
        command: entry.command,
        url: entry.url,
        metadata: toJson(entry.metadata),
        actorType: 'system',
      },
    });
    return row;
  });
}
