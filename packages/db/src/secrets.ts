// Team secrets: metadata, encrypted versions and the team's wrapped data keys. This module stores and reads
// bytes only; encryption happens in the caller (@manifold/services), so no key ever reaches the database.
import { AppError } from '@manifold/core';
import { isUniqueViolation, type Database } from './client';
import { recordAudit, type Actor } from './audit';
import { inTeam, type Tx } from './tenant';

export interface SealedVersion {
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  tag: Uint8Array;
  keyVersion: number;
  fingerprint: string;
}

export interface TeamKeyRow {
  teamId: string;
  version: number;
  wrappedKey: Uint8Array;
  masterKeyId: string;
}

export type WrapNewKey = (version: number) => Promise<{ wrappedKey: Uint8Array; masterKeyId: string }>;

const actorLabel = (actor: Actor): string => `${actor.type}:${actor.id ?? 'system'}`;
const bytes = (value: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(value);

/** The team's current data key (highest version); creates version 1 on first use. */
export async function ensureTeamKey(db: Database, teamId: string, wrapNewKey: WrapNewKey): Promise<TeamKeyRow> {
  const existing = await inTeam(db, teamId, (tx) => tx.teamKey.findFirst({ where: { teamId }, orderBy: { version: 'desc' } }));
  if (existing) return existing;
  const wrapped = await wrapNewKey(1);
  try {
    return await inTeam(db, teamId, async (tx) => {
      const row = await tx.teamKey.create({
        data: { teamId, version: 1, wrappedKey: bytes(wrapped.wrappedKey), masterKeyId: wrapped.masterKeyId },
      });
      await recordAudit(tx, teamId, {
        actor: { type: 'system' },
        action: 'team_key.created',
        targetType: 'team_key',
        targetId: row.id,
        metadata: { version: 1, masterKeyId: wrapped.masterKeyId },
      });
      return row;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another process created it at the same moment: use theirs.
    return (await inTeam(db, teamId, (tx) => tx.teamKey.findFirst({ where: { teamId }, orderBy: { version: 'desc' } })))!;
  }
}

const metadataSelect = {
  id: true,
  name: true,
  description: true,
  version: true,
  createdBy: true,
  updatedBy: true,
  createdAt: true,
  updatedAt: true,
  versions: { select: { version: true, fingerprint: true, createdAt: true, createdBy: true }, orderBy: { version: 'desc' }, take: 1 },
} as const;

export interface SecretMetadata {
  id: string;
  name: string;
  description: string | null;
  version: number;
  fingerprint: string;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

type MetadataRow = { versions: { fingerprint: string }[] } & Omit<SecretMetadata, 'fingerprint'>;
const toMetadata = ({ versions, ...row }: MetadataRow): SecretMetadata => ({ ...row, fingerprint: versions[0]?.fingerprint ?? '' });

export async function listSecrets(db: Database, teamId: string): Promise<SecretMetadata[]> {
  const rows = await inTeam(db, teamId, (tx) =>
    tx.secret.findMany({ where: { teamId }, select: metadataSelect, orderBy: { name: 'asc' } }),
  );
  return rows.map(toMetadata);
}

export async function getSecretByName(db: Database, teamId: string, name: string): Promise<SecretMetadata | null> {
  const row = await inTeam(db, teamId, (tx) => tx.secret.findUnique({ where: { teamId_name: { teamId, name } }, select: metadataSelect }));
  return row ? toMetadata(row) : null;
}

/** Creates a secret with its first version; `id` is chosen by the caller because it is part of the associated data. */
export async function createSecret(
  db: Database,
  teamId: string,
  actor: Actor,
  input: { id: string; name: string; description?: string; sealed: SealedVersion },
): Promise<SecretMetadata> {
  const by = actorLabel(actor);
  try {
    return await inTeam(db, teamId, async (tx) => {
      await tx.secret.create({
        data: { id: input.id, teamId, name: input.name, description: input.description ?? null, version: 1, createdBy: by, updatedBy: by },
      });
      await tx.secretVersion.create({ data: { teamId, secretId: input.id, version: 1, ...sealedData(input.sealed), createdBy: by } });
      await recordAudit(tx, teamId, {
        actor,
        action: 'secret.created',
        targetType: 'secret',
        targetId: input.id,
        metadata: { name: input.name, version: 1 },
      });
      return toMetadata((await tx.secret.findUniqueOrThrow({ where: { id: input.id }, select: metadataSelect })) as MetadataRow);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(
        'conflict',
        `This team already has a secret named "${input.name}". Use PUT /api/v1/secrets/${input.name} for a new version.`,
        {
          fieldErrors: [{ path: 'name', message: 'Already in use in this team.' }],
        },
      );
    throw error;
  }
}

const sealedData = (sealed: SealedVersion) => ({
  ciphertext: bytes(sealed.ciphertext),
  nonce: bytes(sealed.nonce),
  tag: bytes(sealed.tag),
  keyVersion: sealed.keyVersion,
  fingerprint: sealed.fingerprint,
});

/** Adds version `version` (= current + 1); a concurrent writer that got there first makes this a conflict. */
export async function addSecretVersion(
  db: Database,
  teamId: string,
  actor: Actor,
  input: { secretId: string; name: string; version: number; sealed: SealedVersion },
): Promise<SecretMetadata> {
  return inTeam(db, teamId, (tx) => addSecretVersionIn(tx, teamId, actor, input));
}

/** addSecretVersion inside the caller's transaction (e.g. a rotated OAuth refresh token stored with its access token). */
export async function addSecretVersionIn(
  tx: Tx,
  teamId: string,
  actor: Actor,
  input: { secretId: string; name: string; version: number; sealed: SealedVersion },
): Promise<SecretMetadata> {
  const by = actorLabel(actor);
  const updated = await tx.secret.updateMany({
    where: { id: input.secretId, teamId, version: input.version - 1 },
    data: { version: input.version, updatedBy: by },
  });
  if (updated.count === 0) throw new AppError('conflict', `Secret "${input.name}" changed while this version was written; try again.`);
  await tx.secretVersion.create({
    data: { teamId, secretId: input.secretId, version: input.version, ...sealedData(input.sealed), createdBy: by },
  });
  await recordAudit(tx, teamId, {
    actor,
    action: 'secret.version_added',
    targetType: 'secret',
    targetId: input.secretId,
    metadata: { name: input.name, version: input.version },
  });
  return toMetadata((await tx.secret.findUniqueOrThrow({ where: { id: input.secretId }, select: metadataSelect })) as MetadataRow);
}

export async function deleteSecret(
  db: Database,
  teamId: string,
  actor: Actor,
  input: { id: string; name: string; forced: boolean; usedBy: string[] },
) {
  await inTeam(db, teamId, async (tx) => {
    await tx.secret.deleteMany({ where: { id: input.id, teamId } });
    await recordAudit(tx, teamId, {
      actor,
      action: 'secret.deleted',
      targetType: 'secret',
      targetId: input.id,
      metadata: { name: input.name, forced: input.forced, usedBy: input.usedBy },
    });
  });
}

export interface SecretForUse {
  secretId: string;
  name: string;
  version: number;
  sealed: SealedVersion;
  teamKey: TeamKeyRow;
}

/** Where a secret was used: a run's step, or (no run) a tools/list of the installation. */
export interface SecretUse {
  runId?: string;
  stepKey?: string;
  server: string;
}

/**
 * The current sealed versions of `names` with the team keys that opened them, read in one transaction (so a
 * concurrent team-key rotation is seen whole or not at all). With `use`, records one `secret.used` audit row per secret.
 */
export async function loadSecretsForUse(db: Database, teamId: string, names: string[], use?: SecretUse): Promise<SecretForUse[]> {
  if (names.length === 0) return [];
  return inTeam(db, teamId, async (tx) => {
    // One statement (the hot path of every call that binds secrets): current version + the key that sealed it.
    const rows = await tx.$queryRaw<
      {
        secretId: string;
        name: string;
        version: number;
        ciphertext: Uint8Array;
        nonce: Uint8Array;
        tag: Uint8Array;
        keyVersion: number;
        fingerprint: string;
        wrappedKey: Uint8Array;
        masterKeyId: string;
      }[]
    >`
      SELECT s."id" AS "secretId", s."name", s."version", v."ciphertext", v."nonce", v."tag", v."keyVersion", v."fingerprint",
             k."wrappedKey", k."masterKeyId"
      FROM "Secret" s
      JOIN "SecretVersion" v ON v."secretId" = s."id" AND v."version" = s."version"
      JOIN "TeamKey" k ON k."teamId" = s."teamId" AND k."version" = v."keyVersion"
      WHERE s."teamId" = ${teamId} AND s."name" = ANY(${names})`;
    const result: SecretForUse[] = rows.map((row) => ({
      secretId: row.secretId,
      name: row.name,
      version: row.version,
      sealed: { ciphertext: row.ciphertext, nonce: row.nonce, tag: row.tag, keyVersion: row.keyVersion, fingerprint: row.fingerprint },
      teamKey: { teamId, version: row.keyVersion, wrappedKey: row.wrappedKey, masterKeyId: row.masterKeyId },
    }));
    if (use && result.length)
      await tx.auditLog.createMany({
        data: result.map((s) => ({
          teamId,
          actorType: 'system',
          actorId: null,
          action: 'secret.used',
          targetType: 'secret',
          targetId: s.secretId,
          metadata: {
            name: s.name,
            version: s.version,
            server: use.server,
            ...(use.runId ? { runId: use.runId, stepKey: use.stepKey } : {}),
          },
        })),
      });
    return result;
  });
}

/** Every team that holds a data key (the master-key rotation walks them one by one). */
export async function listTeamIdsWithKeys(db: Database): Promise<string[]> {
  const teams = await db.team.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  return teams.map((t) => t.id);
}

/**
 * Re-wraps this team's data keys that are not under `currentMasterKeyId`, row-locked so two rotations never
 * interleave. Readers keep working throughout: the old wrapping stays valid until the row is replaced.
 */
export async function rewrapTeamKeys(
  db: Database,
  teamId: string,
  currentMasterKeyId: string,
  rewrap: (row: TeamKeyRow) => Promise<{ wrappedKey: Uint8Array; masterKeyId: string }>,
): Promise<number> {
  return inTeam(db, teamId, async (tx) => {
    const rows = await tx.$queryRaw<TeamKeyRow[]>`
      SELECT "teamId", "version", "wrappedKey", "masterKeyId" FROM "TeamKey"
      WHERE "teamId" = ${teamId} AND "masterKeyId" <> ${currentMasterKeyId} FOR UPDATE`;
    for (const row of rows) {
      const next = await rewrap(row);
      await tx.teamKey.update({
        where: { teamId_version: { teamId, version: row.version } },
        data: { wrappedKey: bytes(next.wrappedKey), masterKeyId: next.masterKeyId, rotatedAt: new Date() },
      });
    }
    if (rows.length)
      await recordAudit(tx, teamId, {
        actor: { type: 'system' },
        action: 'team_key.rewrapped',
        targetType: 'team',
        targetId: teamId,
        metadata: { versions: rows.map((r) => r.version), from: [...new Set(rows.map((r) => r.masterKeyId))], to: currentMasterKeyId },
      });
    return rows.length;
  });
}

export interface StoredVersion {
  id: string;
  secretId: string;
  version: number;
  sealed: SealedVersion;
}

/**
 * Rotates the team's data key: one transaction adds key version N+1 and re-encrypts every stored version
 * under it. Readers see the old key and old ciphertexts or the new ones, never a mix.
 */
export async function rotateTeamKey(
  db: Database,
  teamId: string,
  actor: Actor,
  reencrypt: (input: {
    current: TeamKeyRow;
    keys: TeamKeyRow[];
    versions: StoredVersion[];
  }) => Promise<{ wrapped: { wrappedKey: Uint8Array; masterKeyId: string }; versions: StoredVersion[] }>,
): Promise<{ version: number; reencrypted: number }> {
  return inTeam(db, teamId, async (tx) => {
    const keys = await tx.$queryRaw<TeamKeyRow[]>`
      SELECT "teamId", "version", "wrappedKey", "masterKeyId" FROM "TeamKey" WHERE "teamId" = ${teamId} ORDER BY "version" FOR UPDATE`;
    const current = keys[keys.length - 1];
    if (!current) throw new AppError('not_found', 'This team has no data key yet (it gets one with its first secret).');
    const rows = await tx.secretVersion.findMany({ where: { teamId } });
    const result = await reencrypt({
      current,
      keys,
      versions: rows.map((r) => ({ id: r.id, secretId: r.secretId, version: r.version, sealed: r })),
    });
    const version = current.version + 1;
    await tx.teamKey.create({
      data: { teamId, version, wrappedKey: bytes(result.wrapped.wrappedKey), masterKeyId: result.wrapped.masterKeyId },
    });
    for (const row of result.versions)
      await tx.secretVersion.update({ where: { id: row.id }, data: sealedData({ ...row.sealed, keyVersion: version }) });
    // Cached OAuth access tokens are only a cache: dropped rather than re-encrypted, re-issued on next use.
    await tx.oAuthToken.updateMany({
      where: { teamId },
      data: { ciphertext: null, nonce: null, tag: null, keyVersion: null, expiresAt: null },
    });
    await recordAudit(tx, teamId, {
      actor,
      action: 'team_key.rotated',
      targetType: 'team',
      targetId: teamId,
      metadata: { from: current.version, to: version, reencrypted: rows.length },
    });
    return { version, reencrypted: rows.length };
  });
}
