// Authenticates REST callers by team API key.
import { AppError } from '@manifold/core';
import { findApiKeyByPrefix, touchApiKey } from '@manifold/db';
import { apiKeyMatches, apiKeyPrefix } from '@manifold/secrets';
import type { ServiceDeps } from './context';

export interface ApiKeyPrincipal {
  teamId: string;
  keyId: string;
  scopes: string[];
}

const INVALID = 'The API key is missing, malformed, revoked or expired. Send `Authorization: Bearer <key>` with a valid team API key.';

export function createApiKeyService({ db }: ServiceDeps) {
  return {
    async authenticate(authorization: string | null): Promise<ApiKeyPrincipal> {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      const key = match?.[1];
      const prefix = key ? apiKeyPrefix(key) : null;
      if (!key || !prefix) throw new AppError('unauthenticated', INVALID);
      const record = await findApiKeyByPrefix(db, prefix);
      if (!record || !apiKeyMatches(key, record.hash)) throw new AppError('unauthenticated', INVALID);
      if (record.revokedAt || (record.expiresAt && record.expiresAt <= new Date())) throw new AppError('unauthenticated', INVALID);
      await touchApiKey(db, record.id);
      return { teamId: record.teamId, keyId: record.id, scopes: record.scopes };
    },

    requireScope(principal: ApiKeyPrincipal, scope: string): void {
      if (!principal.scopes.includes(scope)) throw new AppError('forbidden', `This API key lacks the "${scope}" scope.`);
    },
  };
}
