// Team API keys: authenticating REST callers, and creating, listing and revoking keys (admins, or keys with
// the api_keys scopes). A new key's secret is returned once; only its SHA-256 is stored.
import { z } from 'zod';
import { AppError, notFound, parseOrThrow } from '@manifold/core';
import { findApiKeyByPrefix, getApiKey, insertApiKey, listApiKeys, revokeApiKey, touchApiKey } from '@manifold/db';
import { apiKeyMatches, apiKeyPrefix, generateApiKey } from '@manifold/secrets';
import { authorize, isAllowed } from './authorize';
import type { ActingContext, ServiceDeps } from './context';
import { API_SCOPES } from './scopes';

export interface ApiKeyPrincipal {
  teamId: string;
  keyId: string;
  scopes: string[];
}

const INVALID = 'The API key is missing, malformed, revoked or expired. Send `Authorization: Bearer <key>` with a valid team API key.';

export const createApiKeyBody = z
  .object({
    name: z.string().trim().min(1, 'Give the key a name.').max(100).describe('What the key is for, e.g. "CI".'),
    scopes: z
      .array(z.enum(API_SCOPES))
      .min(1, 'Pick at least one scope.')
      .max(API_SCOPES.length)
      .transform((scopes) => [...new Set(scopes)])
      .describe('What the key may do.'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .nullable()
      .describe('When the key stops working (ISO 8601); omit for no expiry.'),
  })
  .strict();

export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const present = (k: {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  expiresAt: iso(k.expiresAt),
  revokedAt: iso(k.revokedAt),
  lastUsedAt: iso(k.lastUsedAt),
  createdAt: k.createdAt.toISOString(),
});

const API_KEY_TOUCH_INTERVAL_MS = 60_000;

export function createApiKeyService({ db }: ServiceDeps) {
  return {
    async authenticate(authorization: string | null, now = new Date()): Promise<ApiKeyPrincipal> {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      const key = match?.[1];
      const prefix = key ? apiKeyPrefix(key) : null;
      if (!key || !prefix) throw new AppError('unauthenticated', INVALID);
      const record = await findApiKeyByPrefix(db, prefix);
      // apiKeyMatches compares SHA-256 digests with timingSafeEqual: the prefix finds the row, the secret
      // part is never compared byte by byte.
      if (!record || !apiKeyMatches(key, record.hash)) throw new AppError('unauthenticated', INVALID);
      if (record.revokedAt || (record.expiresAt && record.expiresAt <= now)) throw new AppError('unauthenticated', INVALID);
      // Use is recorded at most once a minute (touchApiKey's own condition); checking it here first saves a
      // write transaction on nearly every request of a busy key.
      if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= API_KEY_TOUCH_INTERVAL_MS)
        await touchApiKey(db, record.teamId, record.id, now);
      return { teamId: record.teamId, keyId: record.id, scopes: record.scopes };
    },

    requireScope(principal: ApiKeyPrincipal, scope: string): void {
      if (!principal.scopes.includes(scope)) throw new AppError('forbidden', `This API key lacks the "${scope}" scope.`);
    },

    /** Creates a key; `key` (the full secret) is in this answer only. */
    async create(ctx: ActingContext, raw: unknown): Promise<ApiKeyView & { key: string }> {
      authorize(ctx, 'api_keys:write');
      const body = parseOrThrow(createApiKeyBody, raw);
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
      if (expiresAt && expiresAt <= new Date())
        throw new AppError('validation_failed', 'The expiry is in the past.', {
          fieldErrors: [{ path: 'expiresAt', message: 'Use a time in the future.' }],
        });
      // A key never carries a scope its creator lacks (so only owners/admins can mint servers:manage).
      if (ctx.actor.type === 'user')
        for (const scope of body.scopes)
          if (!isAllowed(ctx, scope))
            throw new AppError('forbidden', `Your role (${ctx.role ?? 'none'}) cannot grant the "${scope}" scope.`);
      if (ctx.actor.type === 'apiKey')
        for (const scope of body.scopes)
          if (!ctx.scopes?.includes(scope)) throw new AppError('forbidden', `This API key cannot grant the "${scope}" scope it lacks.`);
      const generated = generateApiKey();
      const row = await insertApiKey(
        db,
        ctx.teamId,
        ctx.actor,
        { name: body.name, prefix: generated.prefix, hash: generated.hash, scopes: body.scopes, expiresAt },
        ctx.ip,
      );
      return { ...present(row), key: generated.key };
    },

    async list(ctx: ActingContext): Promise<ApiKeyView[]> {
      authorize(ctx, 'api_keys:read');
      return (await listApiKeys(db, ctx.teamId)).map(present);
    },

    async get(ctx: ActingContext, id: string): Promise<ApiKeyView> {
      authorize(ctx, 'api_keys:read');
      const row = await getApiKey(db, ctx.teamId, id);
      if (!row) throw notFound(`API key "${id}"`);
      return present(row);
    },

    /** Revokes a key of the team; another team's id (or an unknown one) answers 404. Revoking twice is fine. */
    async revoke(ctx: ActingContext, id: string): Promise<ApiKeyView> {
      authorize(ctx, 'api_keys:write');
      const row = await getApiKey(db, ctx.teamId, id);
      if (!row) throw notFound(`API key "${id}"`);
      await revokeApiKey(db, ctx.teamId, ctx.actor, id, ctx.ip);
      return present((await getApiKey(db, ctx.teamId, id))!);
    },
  };
}
