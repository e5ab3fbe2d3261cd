// The one place that joins keys and stored ciphertext: seals new secret versions, opens current ones just in
// time for a call, and rotates master and team keys. Used by the secret service (web/CLI) and the worker.
import { randomUUID } from 'node:crypto';
import { AppError } from '@manifold/core';
import {
  ensureTeamKey,
  listTeamIdsWithKeys,
  loadSecretsForUse,
  rewrapTeamKeys,
  rotateTeamKey,
  type Actor,
  type Database,
  type SealedBytes,
  type SealedVersion,
  type SecretUse,
  type TeamKeyRow,
} from '@manifold/db';
import { fingerprint, newDataKey, openSecret, sealSecret, type KeyWrapper, type Sealed } from '@manifold/secrets';

/** Binds a wrapped data key to its team and version: a wrapped key copied to another row does not unwrap. */
const keyContext = (teamId: string, version: number) => `${teamId}:${version}`;

/** Stored ciphertext (Prisma bytes) as openSecret takes it. */
const asSealed = (stored: Pick<SealedBytes, 'ciphertext' | 'nonce' | 'tag'>): Sealed => ({
  ciphertext: Buffer.from(stored.ciphertext),
  nonce: Buffer.from(stored.nonce),
  tag: Buffer.from(stored.tag),
});

export interface ResolvedSecrets {
  values: Map<string, string>;
  /** name → version, for pool keys and audit (never values). */
  versions: Record<string, number>;
}

export function createSecretVault({ db, keyWrapper }: { db: Database; keyWrapper?: KeyWrapper | undefined }) {
  const wrapper = (): KeyWrapper => {
    if (!keyWrapper)
      throw new AppError('unavailable', 'Secrets are unavailable: MANIFOLD_MASTER_KEYS is not set (run `npm run setup`, or set it).');
    return keyWrapper;
  };
  const unwrap = (row: TeamKeyRow) =>
    wrapper().unwrap({ keyId: row.masterKeyId, wrapped: Buffer.from(row.wrappedKey) }, keyContext(row.teamId, row.version));
  const wrapNew = async (teamId: string, version: number, dataKey = newDataKey()) => {
    const wrapped = await wrapper().wrap(dataKey, keyContext(teamId, version));
    return { wrappedKey: wrapped.wrapped, masterKeyId: wrapped.keyId };
  };

  return {
    newSecretId: (): string => randomUUID(),

    /** Encrypts `value` as version `version` of secret `secretId` under the team's current data key. */
    async seal(teamId: string, secretId: string, version: number, value: string): Promise<SealedVersion> {
      const teamKey = await ensureTeamKey(db, teamId, (keyVersion) => wrapNew(teamId, keyVersion));
      const dataKey = await unwrap(teamKey);
      return { ...sealSecret(dataKey, value, secretId, version), keyVersion: teamKey.version, fingerprint: fingerprint(dataKey, value) };
    },

    /** Opens a value sealed by seal() (an OAuth access token, a PKCE verifier) with the team key row that sealed it. */
    async open(sealed: { bytes: SealedBytes; teamKey: TeamKeyRow }, id: string, version: number): Promise<string> {
      const dataKey = await unwrap(sealed.teamKey);
      return openSecret(dataKey, asSealed(sealed.bytes), id, version);
    },

    /** Decrypts the current versions of `names`; a missing name is a clear error naming it. */
    async resolve(teamId: string, names: string[], use?: SecretUse): Promise<ResolvedSecrets> {
      const rows = await loadSecretsForUse(db, teamId, names, use);
      const missing = names.filter((name) => !rows.some((row) => row.name === name));
      if (missing.length)
        throw new AppError(
          'not_found',
          `Secret${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} not found in this team: create it on the Secrets page or with POST /api/v1/secrets.`,
        );
      const values = new Map<string, string>();
      const versions: Record<string, number> = {};
      const keys = new Map<number, Buffer>();
      for (const row of rows) {
        let dataKey = keys.get(row.teamKey.version);
        if (!dataKey) keys.set(row.teamKey.version, (dataKey = await unwrap(row.teamKey)));
        values.set(row.name, openSecret(dataKey, asSealed(row.sealed), row.secretId, row.version));
        versions[row.name] = row.version;
      }
      return { values, versions };
    },

    /** Re-wraps every team's data keys under the newest master key; safe to run while app and worker serve. */
    async rotateMasterKey(): Promise<{ teams: number; rewrapped: number }> {
      const current = wrapper().currentKeyId();
      let teams = 0;
      let rewrapped = 0;
      for (const teamId of await listTeamIdsWithKeys(db)) {
        const count = await rewrapTeamKeys(db, teamId, current, async (row) => wrapNew(teamId, row.version, await unwrap(row)));
        if (count) teams++;
        rewrapped += count;
      }
      return { teams, rewrapped };
    },

    /** A new data key for the team; every stored version is re-encrypted under it in one transaction. */
    async rotateTeamKey(teamId: string, actor: Actor): Promise<{ version: number; reencrypted: number }> {
      return rotateTeamKey(db, teamId, actor, async ({ current, keys, versions }) => {
        const nextKey = newDataKey();
        const opened = new Map<number, Buffer>();
        for (const key of keys) opened.set(key.version, await unwrap(key));
        return {
          wrapped: await wrapNew(teamId, current.version + 1, nextKey),
          versions: versions.map((row) => {
            const oldKey = opened.get(row.sealed.keyVersion);
            if (!oldKey) throw new Error(`Team key version ${row.sealed.keyVersion} is missing.`);
            const value = openSecret(oldKey, asSealed(row.sealed), row.secretId, row.version);
            return {
              ...row,
              sealed: {
                ...sealSecret(nextKey, value, row.secretId, row.version),
                keyVersion: current.version + 1,
                fingerprint: fingerprint(nextKey, value),
              },
            };
          }),
        };
      });
    },
  };
}

export type SecretVault = ReturnType<typeof createSecretVault>;
