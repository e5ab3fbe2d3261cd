// Team memberships: listing, changing roles, removing and leaving. A team always keeps at least one owner:
// every change that could remove the last owner locks the team's owner rows first, so two concurrent
// demotions cannot both pass the check.
import { AppError, type Role } from '@manifold/core';
import type { Database } from './client';
import { recordAudit, type Actor } from './audit';
import { inTeam, type Tx } from './tenant';

export interface MemberRow {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: Date;
}

export async function listMembers(db: Database, teamId: string): Promise<MemberRow[]> {
  const rows = await db.membership.findMany({ where: { teamId }, include: { user: true }, orderBy: { createdAt: 'asc' } });
  return rows.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt }));
}

async function lockOwners(tx: Tx, teamId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ userId: string }>>`
    SELECT "userId" FROM "Membership" WHERE "teamId" = ${teamId} AND role = 'owner' FOR UPDATE`;
  return rows.map((r) => r.userId);
}

const LAST_OWNER = 'A team must keep at least one owner: make someone else owner first.';

/** Sets a member's role; refuses to demote the last owner. Returns false when the user is not a member. */
export async function changeMemberRole(
  db: Database,
  teamId: string,
  actor: Actor,
  userId: string,
  role: Role,
  ip?: string | null,
): Promise<boolean> {
  return inTeam(db, teamId, async (tx) => {
    const owners = await lockOwners(tx, teamId);
    const member = await tx.membership.findUnique({ where: { teamId_userId: { teamId, userId } } });
    if (!member) return false;
    if (member.role === role) return true;
    if (member.role === 'owner' && owners.length <= 1) throw new AppError('conflict', LAST_OWNER);
    await tx.membership.update({ where: { id: member.id }, data: { role } });
    await recordAudit(tx, teamId, {
      actor,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: userId,
      metadata: { from: member.role, to: role },
      ip: ip ?? null,
    });
    return true;
  });
}

/** Removes a member (or the actor leaving); refuses to remove the last owner. False when not a member. */
export async function removeMember(db: Database, teamId: string, actor: Actor, userId: string, ip?: string | null): Promise<boolean> {
  return inTeam(db, teamId, async (tx) => {
    const owners = await lockOwners(tx, teamId);
    const member = await tx.membership.findUnique({ where: { teamId_userId: { teamId, userId } } });
    if (!member) return false;
    if (member.role === 'owner' && owners.length <= 1) throw new AppError('conflict', LAST_OWNER);
    await tx.membership.delete({ where: { id: member.id } });
    const isLeaving = actor.type === 'user' && actor.id === userId;
    await recordAudit(tx, teamId, {
      actor,
      action: isLeaving ? 'member.left' : 'member.removed',
      targetType: 'user',
      targetId: userId,
      metadata: { role: member.role },
      ip: ip ?? null,
    });
    return true;
  });
}

/** Adds a member (used by invitation acceptance); an existing membership is left as it is. */
export async function addMember(tx: Tx, teamId: string, userId: string, role: Role): Promise<boolean> {
  const existing = await tx.membership.findUnique({ where: { teamId_userId: { teamId, userId } } });
  if (existing) return false;
  await tx.membership.create({ data: { teamId, userId, role } });
  return true;
}
