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
      metadata: { name: key.name, scopes: key.scopes },
    });
    return row;
  });
}

/** The authentication lookup, before any team is known: by the key's public prefix (the key decides the team). */
export async function findApiKeyByPrefix(db: Database, prefix: string): Promise<ApiKeyRecord | null> {
  return db.apiKey.findUnique({ where: { prefix } });
}

/** Records use at most once a minute per key, so authentication is not a write per request. */
export async function touchApiKey(db: Database, id: string, now = new Date()): Promise<void> {
  await db.apiKey.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
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
