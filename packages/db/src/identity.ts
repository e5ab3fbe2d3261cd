// Users, teams and memberships. Creating a user also creates their personal team (they own it).
import { AppError, type Role } from '@manifold/core';
import { isUniqueViolation, type Database } from './client';
import { recordAudit, type Actor } from './audit';
import { inTeam, setTeam, type Tx } from './tenant';

export type { Role };

export interface TeamSummary {
  id: string;
  name: string;
  slug: string;
  role: Role;
  isPersonal: boolean;
}

const slugify = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'team';

/** A unique team slug: the name's slug plus a short random suffix. */
const teamSlug = (name: string) => `${slugify(name)}-${Math.random().toString(36).slice(2, 8)}`;

/** "Ada's team": a new user's personal team is named after them. */
const personalTeamName = (user: { name?: string | null; email: string }) => `${user.name || user.email.split('@')[0]}'s team`;

/**
 * Creates a team owned by `ownerId` inside an open transaction, switches the transaction to it (the audit row
 * is that team's data) and records `action` — on `target`, or on the new team itself when none is given.
 */
async function openTeam(
  tx: Tx,
  ownerId: string,
  team: { name: string; isPersonal: boolean },
  audit: { action: string; target?: { type: string; id: string }; metadata?: Record<string, unknown> },
): Promise<string> {
  const row = await tx.team.create({
    data: {
      name: team.name,
      slug: teamSlug(team.name),
      isPersonal: team.isPersonal,
      memberships: { create: { userId: ownerId, role: 'owner' } },
    },
  });
  await setTeam(tx, row.id);
  const target = audit.target ?? { type: 'team', id: row.id };
  await recordAudit(tx, row.id, {
    actor: { type: 'user', id: ownerId },
    action: audit.action,
    targetType: target.type,
    targetId: target.id,
    ...(audit.metadata ? { metadata: audit.metadata } : {}),
  });
  return row.id;
}

export async function findUserByEmail(db: Database, email: string) {
  return db.user.findUnique({ where: { email: email.toLowerCase() } });
}

export async function createUserWithTeam(
  db: Database,
  input: { email: string; name?: string | null; passwordHash: string; teamName?: string },
): Promise<{ userId: string; teamId: string }> {
  const email = input.email.toLowerCase();
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, name: input.name ?? null, passwordHash: input.passwordHash } });
      const teamId = await openTeam(
        tx,
        user.id,
        { name: input.teamName ?? personalTeamName({ name: input.name, email }), isPersonal: !input.teamName },
        { action: 'user.signed_up', target: { type: 'user', id: user.id } },
      );
      return { userId: user.id, teamId };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', 'An account with this email already exists.', {
        fieldErrors: [{ path: 'email', message: 'Already registered.' }],
      });
    throw error;
  }
}

export async function createTeam(db: Database, userId: string, name: string): Promise<{ teamId: string }> {
  return db.$transaction(async (tx) => {
    return { teamId: await openTeam(tx, userId, { name, isPersonal: false }, { action: 'team.created' }) };
  });
}

export async function listTeamsForUser(db: Database, userId: string): Promise<TeamSummary[]> {
  const memberships = await db.membership.findMany({ where: { userId }, include: { team: true }, orderBy: { createdAt: 'asc' } });
  return memberships.map((m) => ({ id: m.team.id, name: m.team.name, slug: m.team.slug, role: m.role, isPersonal: m.team.isPersonal }));
}

export async function findTeamByName(db: Database, userId: string, name: string) {
  return db.membership.findFirst({ where: { userId, team: { name } }, include: { team: true } });
}

/** The caller's membership of `teamId`, or null: the one check every page makes. */
export async function getMembership(db: Database, teamId: string, userId: string): Promise<TeamSummary | null> {
  const m = await db.membership.findUnique({ where: { teamId_userId: { teamId, userId } }, include: { team: true } });
  return m ? { id: m.team.id, name: m.team.name, slug: m.team.slug, role: m.role, isPersonal: m.team.isPersonal } : null;
}

export async function renameTeam(db: Database, teamId: string, actor: Actor, name: string, ip?: string | null): Promise<void> {
  await inTeam(db, teamId, async (tx) => {
    const before = await tx.team.findUniqueOrThrow({ where: { id: teamId } });
    await tx.team.update({ where: { id: teamId }, data: { name } });
    await recordAudit(tx, teamId, {
      actor,
      action: 'team.renamed',
      targetType: 'team',
      targetId: teamId,
      metadata: { from: before.name, to: name },
      ip: ip ?? null,
    });
  });
}

/** Deletes the team and (by cascade) all its data. */
export async function deleteTeam(db: Database, teamId: string): Promise<void> {
  await inTeam(db, teamId, (tx) => tx.team.delete({ where: { id: teamId } }));
}

/**
 * Sign-in through GitHub or Google: the user linked to that provider account, or a new user (with a personal
 * team) when the email is not registered yet. An email that already has an account is never linked
 * automatically (that would let whoever controls the provider account take it over): null.
 */
export async function findOrCreateProviderUser(
  db: Database,
  input: { provider: string; providerAccountId: string; email: string; name: string | null },
): Promise<{ userId: string; isNew: boolean } | null> {
  const linked = await db.account.findUnique({
    where: { provider_providerAccountId: { provider: input.provider, providerAccountId: input.providerAccountId } },
  });
  if (linked) return { userId: linked.userId, isNew: false };
  const email = input.email.toLowerCase();
  if (await db.user.findUnique({ where: { email } })) return null;
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email, name: input.name, emailVerified: new Date() } });
    await tx.account.create({
      data: { userId: user.id, type: 'oauth', provider: input.provider, providerAccountId: input.providerAccountId },
    });
    await openTeam(
      tx,
      user.id,
      { name: personalTeamName({ name: input.name, email }), isPersonal: true },
      { action: 'user.signed_up', target: { type: 'user', id: user.id }, metadata: { provider: input.provider } },
    );
    return { userId: user.id, isNew: true };
  });
}
