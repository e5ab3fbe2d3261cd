// Team invitations: created by admins, accepted once through a link. Only the token's hash is stored.
import { AppError, type Role } from '@manifold/core';
import type { Database } from './client';
import { recordAudit, type Actor } from './audit';
import { addMember } from './members';
import { inTeam } from './tenant';

export interface InvitationRow {
  id: string;
  teamId: string;
  email: string;
  role: Role;
  tokenHash: string;
  invitedById: string | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedById: string | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export async function createInvitation(
  db: Database,
  teamId: string,
  actor: Actor,
  input: { email: string; role: Role; tokenHash: string; expiresAt: Date },
  ip?: string | null,
): Promise<InvitationRow> {
  return inTeam(db, teamId, async (tx) => {
    const row = await tx.invitation.create({
      data: { teamId, ...input, invitedById: actor.type === 'user' ? actor.id : null },
    });
    await recordAudit(tx, teamId, {
      actor,
      action: 'invitation.created',
      targetType: 'invitation',
      targetId: row.id,
      metadata: { email: input.email, role: input.role, expiresAt: input.expiresAt.toISOString() },
      ip: ip ?? null,
    });
    return row;
  });
}

/** Invitations not yet accepted, revoked or expired. */
export async function listPendingInvitations(db: Database, teamId: string, now = new Date()): Promise<InvitationRow[]> {
  return inTeam(db, teamId, (tx) =>
    tx.invitation.findMany({
      where: { teamId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
    }),
  );
}

export async function revokeInvitation(db: Database, teamId: string, actor: Actor, id: string, ip?: string | null): Promise<boolean> {
  return inTeam(db, teamId, async (tx) => {
    const { count } = await tx.invitation.updateMany({
      where: { id, teamId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) return false;
    await recordAudit(tx, teamId, { actor, action: 'invitation.revoked', targetType: 'invitation', targetId: id, ip: ip ?? null });
    return true;
  });
}

/**
 * The invitation for a link, before the invitee belongs to the team: through the narrow SECURITY DEFINER
 * function `manifold_invitation_by_token_hash` (row-level security hides it otherwise).
 */
export async function findInvitationByTokenHash(db: Database, tokenHash: string): Promise<(InvitationRow & { teamName: string }) | null> {
  const rows = await db.$queryRaw<InvitationRow[]>`SELECT * FROM manifold_invitation_by_token_hash(${tokenHash})`;
  const row = rows[0];
  if (!row) return null;
  const team = await db.team.findUnique({ where: { id: row.teamId } });
  return team ? { ...row, teamName: team.name } : null;
}

const UNUSABLE = 'This invitation link is no longer valid (used, revoked or expired). Ask a team admin for a new one.';

/** Accepts once: marks the invitation used and adds the membership in one transaction of its team. */
export async function acceptInvitation(
  db: Database,
  invitation: { id: string; teamId: string; role: Role },
  userId: string,
  ip?: string | null,
): Promise<void> {
  await inTeam(db, invitation.teamId, async (tx) => {
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date(), acceptedById: userId },
    });
    if (count === 0) throw new AppError('conflict', UNUSABLE);
    const added = await addMember(tx, invitation.teamId, userId, invitation.role);
    await recordAudit(tx, invitation.teamId, {
      actor: { type: 'user', id: userId },
      action: 'invitation.accepted',
      targetType: 'invitation',
      targetId: invitation.id,
      metadata: { role: invitation.role, alreadyMember: !added },
      ip: ip ?? null,
    });
  });
}
