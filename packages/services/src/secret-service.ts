// Team secrets: create, new version, list and read metadata, delete. Values go in and are never given back.
import {
  AppError,
  createSecretBody,
  deleteSecretQuery,
  notFound,
  oauthSecretNames,
  parseOrThrow,
  putSecretBody,
  secretNameSchema,
  secretReferences,
  type InstallationConfig,
} from '@manifold/core';
import {
  addSecretVersion,
  createSecret,
  deleteSecret,
  getSecretByName,
  listInstallations,
  listSecrets,
  type Database,
  type SecretMetadata,
} from '@manifold/db';
import { authorize } from './authorize';
import type { ActingContext } from './context';
import type { SecretVault } from './secret-vault';

const configOf = (installation: { config: unknown }) => (installation.config ?? {}) as InstallationConfig;

export interface SecretView extends SecretMetadata {
  /** Names of the installations whose config refers to this secret. */
  usedBy: string[];
}

export function createSecretService({ db, vault }: { db: Database; vault: SecretVault }) {
  async function usage(teamId: string): Promise<Map<string, string[]>> {
    const byName = new Map<string, string[]>();
    for (const installation of await listInstallations(db, teamId))
      for (const name of new Set([...secretReferences(configOf(installation)), ...oauthSecretNames(configOf(installation))]))
        byName.set(name, [...(byName.get(name) ?? []), installation.name]);
    return byName;
  }
  const view = (secret: SecretMetadata, used: Map<string, string[]>): SecretView => ({ ...secret, usedBy: used.get(secret.name) ?? [] });

  async function requireSecret(ctx: ActingContext, name: string): Promise<SecretMetadata> {
    const parsed = secretNameSchema.safeParse(name);
    const secret = parsed.success ? await getSecretByName(db, ctx.teamId, name) : null;
    if (!secret) throw notFound(`Secret "${name}"`);
    return secret;
  }

  return {
    async list(ctx: ActingContext): Promise<SecretView[]> {
      authorize(ctx, 'secrets:read');
      const [secrets, used] = await Promise.all([listSecrets(db, ctx.teamId), usage(ctx.teamId)]);
      return secrets.map((s) => view(s, used));
    },

    async get(ctx: ActingContext, name: string): Promise<SecretView> {
      authorize(ctx, 'secrets:read');
      const secret = await requireSecret(ctx, name);
      return view(secret, await usage(ctx.teamId));
    },

    async create(ctx: ActingContext, raw: unknown): Promise<SecretView> {
      authorize(ctx, 'secrets:write');
      const body = parseOrThrow(createSecretBody, raw);
      if (await getSecretByName(db, ctx.teamId, body.name))
        throw new AppError(
          'conflict',
          `This team already has a secret named "${body.name}". Use PUT /api/v1/secrets/${body.name} for a new version.`,
          {
            fieldErrors: [{ path: 'name', message: 'Already in use in this team.' }],
          },
        );
      const id = vault.newSecretId();
      const sealed = await vault.seal(ctx.teamId, id, 1, body.value);
      const secret = await createSecret(db, ctx.teamId, ctx.actor, {
        id,
        name: body.name,
        ...(body.description ? { description: body.description } : {}),
        sealed,
      });
      return view(secret, await usage(ctx.teamId));
    },

    /** Writes a new version; the previous ones stay stored for rollback and audit. */
    async putVersion(ctx: ActingContext, name: string, raw: unknown): Promise<SecretView> {
      authorize(ctx, 'secrets:write');
      const secret = await requireSecret(ctx, name);
      const body = parseOrThrow(putSecretBody, raw);
      const version = secret.version + 1;
      const sealed = await vault.seal(ctx.teamId, secret.id, version, body.value);
      const updated = await addSecretVersion(db, ctx.teamId, ctx.actor, { secretId: secret.id, name, version, sealed });
      return view(updated, await usage(ctx.teamId));
    },

    /** Refused while an installation refers to it, unless forced (those installations then fail until fixed). */
    async delete(ctx: ActingContext, name: string, rawQuery: unknown = {}): Promise<void> {
      authorize(ctx, 'secrets:write');
      const secret = await requireSecret(ctx, name);
      const query = parseOrThrow(deleteSecretQuery, rawQuery);
      const forced = query.force === 'true';
      const usedBy = (await usage(ctx.teamId)).get(name) ?? [];
      if (usedBy.length && !forced)
        throw new AppError(
          'conflict',
          `Secret "${name}" is used by ${usedBy.map((n) => `"${n}"`).join(', ')}; remove the references first or delete with ?force=true.`,
        );
      await deleteSecret(db, ctx.teamId, ctx.actor, { id: secret.id, name, forced, usedBy });
    },
  };
}
