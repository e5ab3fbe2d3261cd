// Inviting people to a team: admins invite by email with a role; the single-use link expires; the invitee
// accepts it signed in (any email: the link is the credential, like most SaaS invitations).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError, notFound, outranksOrEquals, parseOrThrow } from '@manifold/core';
import { acceptInvitation, createInvitation, findInvitationByTokenHash, listPendingInvitations, revokeInvitation } from '@manifold/db';
import { sha256Hex } from '@manifold/secrets';
import { authorize } from './authorize';
import type { ActingContext, ServiceDeps } from './context';
import type { Mailer } from './mailer';
import { roleSchema } from './team-service';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const createInvitationBody = z.object({
  email: z
    .email('Enter a valid email address.')
    .max(254)
    .transform((e) => e.toLowerCase()),
  role: roleSchema,
});

export function createInvitationService({ db }: ServiceDeps, mailer: Mailer) {
  async function usable(token: string) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const invitation = await findInvitationByTokenHash(db, sha256Hex(token));
    if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) return null;
    return invitation;
  }

  return {
    /** Creates the invitation and mails (or logs) the link; returns the link to copy. */
    async invite(ctx: ActingContext, raw: unknown, baseUrl: string) {
      authorize(ctx, 'members:write');
      const body = parseOrThrow(createInvitationBody, raw);
      if (ctx.actor.type === 'user' && ctx.role && !outranksOrEquals(ctx.role, body.role))
        throw new AppError('forbidden', 'Only an owner can invite an owner.', {
          fieldErrors: [{ path: 'role', message: 'Above your role.' }],
        });
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
      const row = await createInvitation(
        db,
        ctx.teamId,
        ctx.actor,
        { email: body.email, role: body.role, tokenHash: sha256Hex(token), expiresAt },
        ctx.ip,
      );
      const link = `${baseUrl.replace(/\/$/, '')}/invite/${token}`;
      await mailer.send({
        to: body.email,
        subject: 'You are invited to a Manifold team',
        text: `You have been invited to join a team on Manifold as ${body.role}.\n\nAccept: ${link}\n\nThe link works once and expires on ${expiresAt.toISOString()}.`,
      });
      return { id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt, link, delivery: mailer.transport };
    },

    async listPending(ctx: ActingContext) {
      authorize(ctx, 'members:write');
      return (await listPendingInvitations(db, ctx.teamId)).map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        expiresAt: i.expiresAt,
        createdAt: i.createdAt,
      }));
    },

    async revoke(ctx: ActingContext, id: string) {
      authorize(ctx, 'members:write');
      if (!(await revokeInvitation(db, ctx.teamId, ctx.actor, id, ctx.ip))) throw notFound('Invitation');
    },

    /** What the invite page shows before accepting; null when the link is not usable. */
    async preview(token: string) {
      const invitation = await usable(token);
      return invitation
        ? { teamName: invitation.teamName, role: invitation.role, email: invitation.email, expiresAt: invitation.expiresAt }
        : null;
    },

    /** Accepts the link for the signed-in user; returns the team joined. */
    async accept(userId: string, token: string, ip?: string | null): Promise<{ teamId: string }> {
      const invitation = await usable(token);
      if (!invitation)
        throw new AppError('not_found', 'This invitation link is not valid (used, revoked or expired). Ask a team admin for a new one.');
      await acceptInvitation(db, invitation, userId, ip);
      return { teamId: invitation.teamId };
    },
  };
}
