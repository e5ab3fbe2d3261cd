import type { Database } from './client';
import { recordAudit, type Actor } from './audit';
import { inTeam } from './tenant';

export interface ApiKeyRecord {
  id: string;
  teamId: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export async function insertApiKey(
  db: Database,
  teamId: string,
  actor: Actor,
  key: { name: string; prefix: string; hash: string; scopes: string[]; expiresAt?: Date | null },
  ip?: string | null,
): Promise<ApiKeyRecord> {
  return inTeam(db, teamId, async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        teamId,
        name: key.name,
        prefix: key.prefix,
        hash: key.hash,
        scopes: key.scopes,
        expiresAt: key.expiresAt ?? null,
        createdById: actor.type === 'system' ? null : actor.id,
      },
    });
    await recordAudit(tx, teamId, {
      actor,
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: row.id,
      metadata: { name: key.name, scopes: key.scopes, expiresAt: key.expiresAt?.toISOString() ?? null },
      ip: ip ?? null,
    });
    return row;
  });
}

/**
 * The authentication lookup, before any team is known: by the key's public prefix (the key decides the team).
 * Row-level security hides every ApiKey row until a team is set, so this goes through the narrow SECURITY
 * DEFINER function `manifold_api_key_by_prefix` (one row, by exact prefix) defined in the RLS migration.
 */
export async function findApiKeyByPrefix(db: Database, prefix: string): Promise<ApiKeyRecord | null> {
  const rows = await db.$queryRaw<ApiKeyRecord[]>`SELECT * FROM manifold_api_key_by_prefix(${prefix})`;
  return rows[0] ?? null;
}

/** Records use at most once a minute per key, so authentication is not a write per request. */
export async function touchApiKey(db: Database, teamId: string, id: string, now = new Date()): Promise<void> {
  await inTeam(db, teamId, (tx) =>
    tx.apiKey.updateMany({
      where: { id, teamId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
      data: { lastUsedAt: now },
    }),
  );
}

/** Revokes one of the team's keys; false when the team has no such (unrevoked) key. */
export async function revokeApiKey(db: Database, teamId: string, actor: Actor, id: string, ip?: string | null): Promise<boolean> {
  return inTeam(db, teamId, async (tx) => {
    const { count } = await tx.apiKey.updateMany({ where: { id, teamId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) return false;
    await recordAudit(tx, teamId, { actor, action: 'api_key.revoked', targetType: 'api_key', targetId: id, ip: ip ?? null });
    return true;
  });
}

export async function getApiKey(db: Database, teamId: string, id: string) {
  return inTeam(db, teamId, (tx) =>
    tx.apiKey.findFirst({
      where: { id, teamId },
      select: { id: true, name: true, prefix: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true, createdAt: true },
    }),
  );
}

export async function listApiKeys(db: Database, teamId: string) {
  return inTeam(db, teamId, (tx) =>
    tx.apiKey.findMany({
      where: { teamId },
      orderBy: { createdAt: 'desc' },
      select: { id: true, name: true, prefix: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true, createdAt: true },
    }),
  );
}
