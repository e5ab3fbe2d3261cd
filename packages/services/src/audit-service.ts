// Reading the team's audit log (admins, or keys with audit:read): filters and cursor paging.
import { z } from 'zod';
import { parseOrThrow } from '@manifold/core';
import { listAuditLog } from '@manifold/db';
import { authorize } from './authorize';
import type { ActingContext, ServiceDeps } from './context';

export const listAuditQuery = z.object({
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]*)?$/, 'Use an action such as "api_key.created", or a prefix such as "api_key."')
    .optional()
    .describe('Exact action, or a prefix ending in "." (e.g. "member.").'),
  actorId: z.string().max(100).optional().describe('Only entries by this user or API key id.'),
  targetType: z.string().max(50).optional(),
  since: z.coerce.date().optional().describe('Only entries at or after this time (ISO 8601).'),
  cursor: z.string().max(100).optional().describe('The `nextCursor` of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditEntryView = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
  metadata: z.unknown(),
  ip: z.string().nullable(),
  createdAt: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

export function createAuditService({ db }: ServiceDeps) {
  return {
    async list(ctx: ActingContext, rawQuery: unknown): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
      authorize(ctx, 'audit:read');
      const query = parseOrThrow(listAuditQuery, rawQuery);
      const page = await listAuditLog(db, ctx.teamId, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...(query.actorId ? { actorId: query.actorId } : {}),
        ...(query.targetType ? { targetType: query.targetType } : {}),
        ...(query.since ? { since: query.since } : {}),
      });
      return {
        items: page.items.map((row) => ({
          id: row.id,
          action: row.action,
          actor: { type: row.actorType, id: row.actorId },
          target: { type: row.targetType, id: row.targetId },
          metadata: row.metadata,
          ip: row.ip,
          createdAt: row.createdAt.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },
  };
}
