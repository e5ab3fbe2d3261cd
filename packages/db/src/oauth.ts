// OAuth state of remote installations: the encrypted access-token cache (refreshed under a per-installation
// advisory lock, so two workers never refresh at once) and pending authorization-code grants. Bytes only:
// encryption happens in @manifold/services, so no key or token reaches this module in clear.
import type { Database } from './client';
import { recordAudit, type Actor } from './audit';
import { addSecretVersionIn, type SealedVersion, type TeamKeyRow } from './secrets';
import { inTeam, setTeam, type Tx } from './tenant';

export interface SealedBytes {
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  tag: Uint8Array;
  keyVersion: number;
}

export interface OAuthTokenRow {
  installationId: string;
  version: number;
  /** The sealed access token with the team key that sealed it; null after a failure or before the first token. */
  sealed: { bytes: SealedBytes; teamKey: TeamKeyRow } | null;
  expiresAt: Date | null;
  refreshedAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

/** Long enough for one token request under load; the lock holder's request has its own shorter timeout. */
const LOCKED_TRANSACTION_TIMEOUT_MS = 60_000;

async function readToken(tx: Tx, teamId: string, installationId: string): Promise<OAuthTokenRow | null> {
  const rows = await tx.$queryRaw<
    {
      installationId: string;
      version: number;
      ciphertext: Uint8Array | null;
      nonce: Uint8Array | null;
      tag: Uint8Array | null;
      keyVersion: number | null;
      expiresAt: Date | null;
      refreshedAt: Date | null;
      lastError: string | null;
      lastErrorAt: Date | null;
      wrappedKey: Uint8Array | null;
      masterKeyId: string | null;
    }[]
  >`
    SELECT t."installationId", t."version", t."ciphertext", t."nonce", t."tag", t."keyVersion", t."expiresAt", t."refreshedAt",
           t."lastError", t."lastErrorAt", k."wrappedKey", k."masterKeyId"
    FROM "OAuthToken" t
    LEFT JOIN "TeamKey" k ON k."teamId" = t."teamId" AND k."version" = t."keyVersion"
    WHERE t."teamId" = ${teamId} AND t."installationId" = ${installationId}`;
  const row = rows[0];
  if (!row) return null;
  const isSealed = row.ciphertext && row.nonce && row.tag && row.keyVersion !== null && row.wrappedKey && row.masterKeyId;
  return {
    installationId: row.installationId,
    version: row.version,
    sealed: isSealed
      ? {
          bytes: { ciphertext: row.ciphertext!, nonce: row.nonce!, tag: row.tag!, keyVersion: row.keyVersion! },
          teamKey: { teamId, version: row.keyVersion!, wrappedKey: row.wrappedKey!, masterKeyId: row.masterKeyId! },
        }
      : null,
    expiresAt: row.expiresAt,
    refreshedAt: row.refreshedAt,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt,
  };
}

export async function readOAuthToken(db: Database, teamId: string, installationId: string): Promise<OAuthTokenRow | null> {
  return inTeam(db, teamId, (tx) => readToken(tx, teamId, installationId));
}

/** What the holder of an installation's refresh lock may do, all in the lock's transaction. */
export interface OAuthRefreshLock {
  /** The row as it is now (another worker may have refreshed while this one waited). */
  read(): Promise<OAuthTokenRow | null>;
  /** Stores a new access token as version `version` and clears the last error; audited. */
  storeToken(input: { version: number; sealed: SealedBytes; expiresAt: Date; server: string; grant: string }): Promise<void>;
  /** The authorization server rotated the refresh token: a new version of its secret, audited like any. */
  storeRotatedRefreshToken(input: { secretId: string; name: string; version: number; sealed: SealedVersion }): Promise<void>;
  /** Forgets the access token and records why the request failed (no token values), audited. */
  recordFailure(input: { message: string; server: string; errorCode: string }): Promise<void>;
}

/**
 * Runs `fn` holding a transaction-scoped advisory lock on the installation's OAuth tokens: a second worker
 * waits here, then re-reads and finds the token the first one stored. Commits whatever `fn` stored, also
 * when `fn` returns a failure (so return failures, do not throw them).
 */
export async function withOAuthRefreshLock<T>(
  db: Database,
  teamId: string,
  installationId: string,
  fn: (lock: OAuthRefreshLock) => Promise<T>,
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await setTeam(tx, teamId);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`oauth-token:${installationId}`}, 0))`;
      const system: Actor = { type: 'system' };
      const upsert = (data: Record<string, unknown>) =>
        tx.oAuthToken.upsert({ where: { installationId }, create: { teamId, installationId, ...data }, update: data });
      return fn({
        read: () => readToken(tx, teamId, installationId),
        async storeToken({ version, sealed, expiresAt, server, grant }) {
          const now = new Date();
          await upsert({
            version,
            ciphertext: bytes(sealed.ciphertext),
            nonce: bytes(sealed.nonce),
            tag: bytes(sealed.tag),
            keyVersion: sealed.keyVersion,
            expiresAt,
            refreshedAt: now,
            lastError: null,
            lastErrorAt: null,
          });
          await recordAudit(tx, teamId, {
            actor: system,
            action: 'oauth.token_issued',
            targetType: 'installation',
            targetId: installationId,
            metadata: { server, grant, version, expiresAt: expiresAt.toISOString() },
          });
        },
        async storeRotatedRefreshToken(input) {
          await addSecretVersionIn(tx, teamId, system, input);
        },
        async recordFailure({ message, server, errorCode }) {
          await upsert({
            ciphertext: null,
            nonce: null,
            tag: null,
            keyVersion: null,
            expiresAt: null,
            lastError: message,
            lastErrorAt: new Date(),
          });
          await recordAudit(tx, teamId, {
            actor: system,
            action: 'oauth.token_failed',
            targetType: 'installation',
            targetId: installationId,
            metadata: { server, error: errorCode },
          });
        },
      });
    },
    { timeout: LOCKED_TRANSACTION_TIMEOUT_MS, maxWait: LOCKED_TRANSACTION_TIMEOUT_MS },
  );
}

/** Disconnect: forgets the cached token (the caller removes the refresh token from the config). */
export async function deleteOAuthToken(db: Database, teamId: string, installationId: string): Promise<void> {
  await inTeam(db, teamId, (tx) => tx.oAuthToken.deleteMany({ where: { teamId, installationId } }));
}

// ------------------------------------------------------------------ pending authorization-code grants

export interface NewOAuthAuthorization {
  id: string;
  installationId: string;
  userId: string;
  stateHash: string;
  sealed: SealedBytes;
  redirectUri: string;
  expiresAt: Date;
}

export async function createOAuthAuthorization(db: Database, teamId: string, input: NewOAuthAuthorization): Promise<void> {
  await inTeam(db, teamId, async (tx) => {
    // One pending grant per installation and user: a second "Connect" replaces the first.
    await tx.oAuthAuthorization.deleteMany({ where: { teamId, installationId: input.installationId, userId: input.userId } });
    await tx.oAuthAuthorization.create({
      data: {
        id: input.id,
        teamId,
        installationId: input.installationId,
        userId: input.userId,
        stateHash: input.stateHash,
        ciphertext: bytes(input.sealed.ciphertext),
        nonce: bytes(input.sealed.nonce),
        tag: bytes(input.sealed.tag),
        keyVersion: input.sealed.keyVersion,
        redirectUri: input.redirectUri,
        expiresAt: input.expiresAt,
      },
    });
  });
}

export interface PendingOAuthAuthorization {
  id: string;
  installationId: string;
  userId: string;
  redirectUri: string;
  expiresAt: Date;
  sealed: { bytes: SealedBytes; teamKey: TeamKeyRow };
}

/** Takes (deletes and returns) the pending grant with this state hash: a state is usable once. */
export async function takeOAuthAuthorization(db: Database, teamId: string, stateHash: string): Promise<PendingOAuthAuthorization | null> {
  return inTeam(db, teamId, async (tx) => {
    const row = await tx.oAuthAuthorization.findFirst({ where: { teamId, stateHash } });
    if (!row) return null;
    await tx.oAuthAuthorization.delete({ where: { id: row.id } });
    const teamKey = await tx.teamKey.findUnique({ where: { teamId_version: { teamId, version: row.keyVersion } } });
    if (!teamKey) return null;
    return {
      id: row.id,
      installationId: row.installationId,
      userId: row.userId,
      redirectUri: row.redirectUri,
      expiresAt: row.expiresAt,
      sealed: { bytes: { ciphertext: row.ciphertext, nonce: row.nonce, tag: row.tag, keyVersion: row.keyVersion }, teamKey },
    };
  });
}
