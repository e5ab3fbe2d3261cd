// Teams and their members: create, rename, delete (owners), list members, change roles, remove, leave.
import { z } from 'zod';
import { AppError, notFound, outranksOrEquals, parseOrThrow, ROLES, type Role } from '@manifold/core';
import { changeMemberRole, createTeam, deleteTeam, getMembership, listMembers, removeMember, renameTeam } from '@manifold/db';
import { authorize } from './authorize';
import type { ActingContext, ServiceDeps } from './context';

export const teamNameSchema = z.string().trim().min(1, 'Give the team a name.').max(100, 'Use at most 100 characters.');
export const roleSchema = z.enum(ROLES);

function userOf(ctx: ActingContext): string {
  if (ctx.actor.type !== 'user') throw new AppError('forbidden', 'Only a signed-in user can do this.');
  return ctx.actor.id;
}

export function createTeamService({ db }: ServiceDeps) {
  return {
    /** A new team owned by the acting user. */
    async create(ctx: Pick<ActingContext, 'actor'>, rawName: unknown): Promise<{ teamId: string }> {
      const name = parseOrThrow(z.object({ name: teamNameSchema }), { name: rawName }).name;
      if (ctx.actor.type !== 'user') throw new AppError('forbidden', 'Only a signed-in user can create a team.');
      return createTeam(db, ctx.actor.id, name);
    },

    async rename(ctx: ActingContext, rawName: unknown): Promise<void> {
      authorize(ctx, 'team:update');
      const name = parseOrThrow(z.object({ name: teamNameSchema }), { name: rawName }).name;
      await renameTeam(db, ctx.teamId, ctx.actor, name, ctx.ip);
    },

    /** Owners only; `confirmName` must repeat the team's name. */
    async delete(ctx: ActingContext, confirmName: string): Promise<void> {
      authorize(ctx, 'team:delete');
      const membership = await getMembership(db, ctx.teamId, userOf(ctx));
      if (!membership) throw notFound('Team');
      if (confirmName.trim() !== membership.name)
        throw new AppError('validation_failed', 'Type the team name exactly to confirm.', {
          fieldErrors: [{ path: 'confirm', message: `Type "${membership.name}".` }],
        });
      await deleteTeam(db, ctx.teamId);
    },

    async members(ctx: ActingContext) {
      authorize(ctx, 'members:read');
      return listMembers(db, ctx.teamId);
    },

    async changeRole(ctx: ActingContext, userId: string, rawRole: unknown): Promise<void> {
      authorize(ctx, 'members:write');
      const role = parseOrThrow(z.object({ role: roleSchema }), { role: rawRole }).role;
      const target = await getMembership(db, ctx.teamId, userId);
      if (!target) throw notFound('Member');
      // Admins manage members up to their own level; only owners make or unmake owners.
      if (ctx.actor.type === 'user' && ctx.role && (!outranksOrEquals(ctx.role, role) || !outranksOrEquals(ctx.role, target.role)))
        throw new AppError('forbidden', 'Only an owner can grant or change the owner role.');
      await changeMemberRole(db, ctx.teamId, ctx.actor, userId, role as Role, ctx.ip);
    },

    async remove(ctx: ActingContext, userId: string): Promise<void> {
      authorize(ctx, 'members:write');
      const target = await getMembership(db, ctx.teamId, userId);
      if (!target) throw notFound('Member');
      if (ctx.actor.type === 'user' && ctx.role && !outranksOrEquals(ctx.role, target.role))
        throw new AppError('forbidden', 'Only an owner can remove an owner.');
      await removeMember(db, ctx.teamId, ctx.actor, userId, ctx.ip);
    },

    /** The acting user leaves the team (refused for the last owner). */
    async leave(ctx: ActingContext): Promise<void> {
      const userId = userOf(ctx);
      if (!(await removeMember(db, ctx.teamId, ctx.actor, userId, ctx.ip))) throw notFound('Membership');
    },
  };
}
