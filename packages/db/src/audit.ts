import type { Database } from './client';
import { toJson } from './json';
import { inTeam } from './tenant';

export type Actor = { type: 'user'; id: string } | { type: 'apiKey'; id: string } | { type: 'system'; id?: string };

export interface AuditEntry {
  actor: Actor;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
  ip?: string | null;
}

type Tx = Pick<Database, 'auditLog'>;

/** Appends one audit record for `teamId`; call it inside the transaction of the change it describes. */
export async function recordAudit(db: Tx, teamId: string, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      teamId,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      metadata: toJson(entry.metadata ?? {}),
      ip: entry.ip ?? null,
    },
  });
}

export interface AuditFilter {
  limit: number;
  cursor?: string;
  /** Exact action ("api_key.created") or a prefix ending in "." ("api_key."). */
  action?: string;
  actorId?: string;
  targetType?: string;
  since?: Date;
}

/** The team's audit log, newest first (ids are UUIDv7: time-ordered), paged by cursor. */
export async function listAuditLog(db: Database, teamId: string, options: AuditFilter) {
  const action = options.action ? (options.action.endsWith('.') ? { startsWith: options.action } : options.action) : undefined;
  const rows = await inTeam(db, teamId, (tx) =>
    tx.auditLog.findMany({
      where: {
        teamId,
        ...(options.cursor ? { id: { lt: options.cursor } } : {}),
        ...(action ? { action } : {}),
        ...(options.actorId ? { actorId: options.actorId } : {}),
        ...(options.targetType ? { targetType: options.targetType } : {}),
        ...(options.since ? { createdAt: { gte: options.since } } : {}),
      },
      orderBy: { id: 'desc' },
      take: options.limit + 1,
    }),
  );
  return { items: rows.slice(0, options.limit), nextCursor: rows.length > options.limit ? rows[options.limit - 1]!.id : null };
}

/** A sign-in shows in the audit log of every team the user belongs to (team admins see who signed in when). */
export async function recordSignIn(db: Database, userId: string, metadata: Record<string, unknown>, ip?: string | null): Promise<void> {
  const memberships = await db.membership.findMany({ where: { userId }, select: { teamId: true } });
  for (const { teamId } of memberships)
    await inTeam(db, teamId, (tx) =>
      recordAudit(tx, teamId, {
        actor: { type: 'user', id: userId },
        action: 'user.signed_in',
        targetType: 'user',
        targetId: userId,
        metadata,
        ip: ip ?? null,
      }),
    );
}
