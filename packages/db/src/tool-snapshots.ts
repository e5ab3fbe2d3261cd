// Pinned tool definitions per installation: each live listing that differs from the previous one is kept
// as a ToolSnapshot; one that differs from the approved set waits (pending) for a team admin's approval.
import { AppError, diffToolSets, type PinnedTool, type ToolChange } from '@manifold/core';
import type { Database } from './client';
import { recordAudit, type Actor } from './audit';
import { toJson } from './json';
import { inTeam, type Tx } from './tenant';

export interface ToolListingResult {
  status: 'approved' | 'pending';
  /** Differences from the approved set (empty when approved). */
  changes: ToolChange[];
  snapshotId: string;
  /** True when this listing differed from the last one recorded. */
  isNew: boolean;
}

const latest = (tx: Tx, teamId: string, installationId: string, status?: 'approved' | 'pending') =>
  tx.toolSnapshot.findFirst({
    where: { teamId, installationId, ...(status ? { status } : { status: { not: 'superseded' } }) },
    orderBy: { id: 'desc' },
  });

/**
 * Records a live listing. With no approved set yet, the first listing is approved only when someone who may
 * approve tools vouched for it at install time, or when it equals an approved snapshot of the same server in
 * this team (a second installation of an approved server); otherwise it waits for approval, every tool
 * "added", so a server installed under a new name cannot launder changed definitions. Later: a listing equal
 * to the approved set changes nothing; a different one is stored as pending with its diff, superseding an older
 * pending one. Also refreshes the installation's latest snapshot.
 */
export async function recordToolListing(
  db: Database,
  teamId: string,
  installationId: string,
  listing: { tools: PinnedTool[]; setHash: string },
): Promise<ToolListingResult> {
  return inTeam(db, teamId, async (tx) => {
    const { tools: pinnedTools, setHash } = listing;
    const installation = await tx.serverInstallation.findFirst({
      where: { id: installationId, teamId },
      select: { serverId: true, firstListingApprovedBy: true },
    });
    if (!installation) throw new AppError('not_found', 'The server installation no longer exists.');
    await tx.serverInstallation.updateMany({
      where: { id: installationId, teamId },
      data: { toolsSnapshot: toJson(pinnedTools.map(({ hash: _hash, ...tool }) => tool)), toolsSnapshotAt: new Date() },
    });
    const approved = await latest(tx, teamId, installationId, 'approved');
    if (!approved) {
      const vouchedBy = installation.firstListingApprovedBy ?? (await matchingApprovedSnapshot(tx, teamId, installation.serverId, setHash));
      if (vouchedBy) {
        const row = await tx.toolSnapshot.create({
          data: { teamId, installationId, tools: toJson(pinnedTools), setHash, status: 'approved', approvedBy: vouchedBy, approvedAt: new Date() },
        });
        return { status: 'approved', changes: [], snapshotId: row.id, isNew: true };
      }
    }
    const pending = await latest(tx, teamId, installationId, 'pending');
    if (approved && approved.setHash === setHash) {
      // Back to the approved definitions: an open change no longer applies.
      if (pending)
        await tx.toolSnapshot.updateMany({ where: { teamId, installationId, status: 'pending' }, data: { status: 'superseded' } });
      return { status: 'approved', changes: [], snapshotId: approved.id, isNew: false };
    }
    if (pending && pending.setHash === setHash) {
      return { status: 'pending', changes: pending.changes as unknown as ToolChange[], snapshotId: pending.id, isNew: false };
    }
    const changes = diffToolSets((approved?.tools ?? []) as unknown as PinnedTool[], pinnedTools);
    await tx.toolSnapshot.updateMany({ where: { teamId, installationId, status: 'pending' }, data: { status: 'superseded' } });
    const row = await tx.toolSnapshot.create({
      data: { teamId, installationId, tools: toJson(pinnedTools), setHash, status: 'pending', changes: toJson(changes) },
    });
    await recordAudit(tx, teamId, {
      actor: { type: 'system', id: 'tools-listing' },
      action: 'server.tools_changed',
      targetType: 'installation',
      targetId: installationId,
      metadata: { snapshotId: row.id, changes: changes.map((c) => ({ tool: c.tool, kind: c.kind, fields: c.fields })) },
    });
    return { status: 'pending', changes, snapshotId: row.id, isNew: true };
  });
}

/** `approvedBy` of the approved snapshot of another installation of the same server with exactly this tool set. */
async function matchingApprovedSnapshot(tx: Tx, teamId: string, serverId: string, setHash: string): Promise<string | null> {
  const match = await tx.toolSnapshot.findFirst({
    where: { teamId, setHash, status: 'approved', installation: { teamId, serverId } },
    orderBy: { id: 'desc' },
    select: { id: true },
  });
  return match ? `system:matches-snapshot:${match.id}` : null;
}

/**
 * The call-time check of a (re)connected session: equal to the approved set costs one read and no write;
 * anything else is recorded as a listing (pending, with its diff, for approval).
 */
export async function verifyToolListing(
  db: Database,
  teamId: string,
  installationId: string,
  listing: { tools: PinnedTool[]; setHash: string },
): Promise<ToolListingResult> {
  const approved = await inTeam(db, teamId, (tx) => latest(tx, teamId, installationId, 'approved'));
  if (approved?.setHash === listing.setHash) {
    const pending = await inTeam(db, teamId, (tx) => latest(tx, teamId, installationId, 'pending'));
    // A pending change left from an earlier listing no longer applies: this session serves the approved set.
    if (!pending) return { status: 'approved', changes: [], snapshotId: approved.id, isNew: false };
  }
  return recordToolListing(db, teamId, installationId, listing);
}

/** The approved tool definitions of an installation (what `servers:read` sees without starting the server). */
export async function approvedToolSnapshot(db: Database, teamId: string, installationId: string) {
  return inTeam(db, teamId, async (tx) => ({
    approved: await latest(tx, teamId, installationId, 'approved'),
    pending: await latest(tx, teamId, installationId, 'pending'),
  }));
}

/** The snapshot history of an installation, newest first. */
export async function listToolSnapshots(db: Database, teamId: string, installationId: string, limit = 50) {
  return inTeam(db, teamId, (tx) => tx.toolSnapshot.findMany({ where: { teamId, installationId }, orderBy: { id: 'desc' }, take: limit }));
}

/** Makes the pending listing the approved set. Throws conflict when nothing waits for approval. */
export async function approveToolSnapshot(db: Database, teamId: string, actor: Actor, installationId: string, snapshotId?: string) {
  return inTeam(db, teamId, async (tx) => {
    const pending = await latest(tx, teamId, installationId, 'pending');
    if (!pending) throw new AppError('conflict', 'No tool changes are waiting for approval on this installation.');
    if (snapshotId && pending.id !== snapshotId)
      throw new AppError('conflict', 'The tools changed again since this listing: review the latest changes and approve those.', {
        fieldErrors: [{ path: 'snapshotId', message: `The pending snapshot is ${pending.id}.` }],
      });
    const row = await tx.toolSnapshot.update({
      where: { id: pending.id },
      data: { status: 'approved', approvedBy: `${actor.type}:${actor.id ?? ''}`, approvedAt: new Date() },
    });
    await recordAudit(tx, teamId, {
      actor,
      action: 'server.tools_approved',
      targetType: 'installation',
      targetId: installationId,
      metadata: { snapshotId: row.id, tools: (row.changes as unknown as ToolChange[]).map((c) => c.tool) },
    });
    return row;
  });
}

/** For each named installation with a pending change: the tools held (changed, added or removed) and the snapshot id. */
export async function heldToolsByInstallation(db: Database, teamId: string, installationNames: string[]) {
  if (installationNames.length === 0) return new Map<string, { snapshotId: string; changes: ToolChange[] }>();
  return inTeam(db, teamId, async (tx) => {
    const rows = await tx.toolSnapshot.findMany({
      where: { teamId, status: 'pending', installation: { teamId, name: { in: installationNames } } },
      include: { installation: { select: { name: true } } },
      orderBy: { id: 'desc' },
    });
    const held = new Map<string, { snapshotId: string; changes: ToolChange[] }>();
    for (const row of rows)
      if (!held.has(row.installation.name))
        held.set(row.installation.name, { snapshotId: row.id, changes: row.changes as unknown as ToolChange[] });
    return held;
  });
}

export type ToolSnapshotRow = Awaited<ReturnType<typeof listToolSnapshots>>[number];
