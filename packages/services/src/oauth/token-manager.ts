// Access tokens of OAuth-protected installations, for the worker: a token valid for a while is served from
// memory; otherwise from the encrypted cache in Postgres; otherwise one worker refreshes it under a
// per-installation advisory lock (the others wait, re-read and use its token). A 401 forces one refresh of
// the rejected token. A rotated refresh token is stored as a new version of its secret in the same commit.
import { isAppError, type InstallationAuth, type InstallationConfig } from '@manifold/core';
import { DecryptionError, KeyringError } from '@manifold/secrets';
import { getSecretByName, readOAuthToken, withOAuthRefreshLock, type Database, type OAuthTokenRow } from '@manifold/db';
import { McpCallError, type AccessTokenSource } from '@manifold/mcp';
import type { SecretVault } from '../secret-vault';
import { classifyOAuthError, type OAuthClient } from './oauth-client';

export interface OAuthInstallation {
  id: string;
  teamId: string;
  name: string;
  config: unknown;
  server: { url: string | null };
}

export interface TokenManagerOptions {
  db: Database;
  vault: SecretVault;
  client: OAuthClient;
  /** Every token this process handles, for the log redactor. */
  onTokenValue?: (value: string) => void;
  /** Refresh this long before expiry at most (and at least 10% of the token's lifetime before it). */
  maxSkewMs?: number;
  /** Assumed lifetime when the authorization server does not say (a 401 refreshes earlier if needed). */
  defaultLifetimeMs?: number;
  /** Refreshes of different installations in flight at once in this process. */
  maxConcurrentRefreshes?: number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
  issuedAt: number;
}

/** Associated data of the sealed access token: bound to its installation and refresh count. */
export const accessTokenSealId = (installationId: string) => `oauth-access-token:${installationId}`;

export function authOf(installation: { config: unknown }): InstallationAuth | undefined {
  return ((installation.config ?? {}) as InstallationConfig).auth;
}

export function serverUrlOf(installation: OAuthInstallation): string {
  const url = ((installation.config ?? {}) as InstallationConfig).url ?? installation.server.url;
  if (!url) throw new McpCallError('config_error', `Installation "${installation.name}" has no URL: set config.url.`);
  return url;
}

export function createOAuthTokenManager({
  db,
  vault,
  client,
  onTokenValue,
  maxSkewMs = 60_000,
  defaultLifetimeMs = 3_600_000,
  maxConcurrentRefreshes = 4,
}: TokenManagerOptions) {
  const memory = new Map<string, CachedToken & { configKey: string }>();
  const inFlight = new Map<string, Promise<CachedToken>>();

  const isFresh = (token: CachedToken, now = Date.now()) =>
    token.expiresAt - now > Math.min(maxSkewMs, (token.expiresAt - token.issuedAt) / 10);

  async function openRow(installationId: string, row: OAuthTokenRow | null): Promise<CachedToken | null> {
    if (!row?.sealed || !row.expiresAt) return null;
    const token = await vault.open(row.sealed, accessTokenSealId(installationId), row.version);
    onTokenValue?.(token);
    return { token, expiresAt: row.expiresAt.getTime(), issuedAt: (row.refreshedAt ?? row.expiresAt).getTime() };
  }

  /** Asks the authorization server for a new token with the client secret and refresh token from the vault. */
  async function requestNew(installation: OAuthInstallation, auth: InstallationAuth) {
    const server = installation.name;
    const names = [auth.clientSecret, auth.grant === 'authorization_code' ? auth.refreshTokenSecret : undefined].filter(
      (name): name is string => !!name,
    );
    const secrets = await vault.resolve(installation.teamId, names, { server });
    const clientSecret = auth.clientSecret ? secrets.values.get(auth.clientSecret) : undefined;
    const serverUrl = serverUrlOf(installation);
    if (auth.grant === 'client_credentials')
      return { tokens: await client.clientCredentials(auth, serverUrl, clientSecret), usedRefreshToken: undefined };
    const refreshToken = secrets.values.get(auth.refreshTokenSecret!)!;
    onTokenValue?.(refreshToken);
    return { tokens: await client.refresh(auth, serverUrl, refreshToken, clientSecret), usedRefreshToken: refreshToken };
  }

  /** The coordinated slow path: under the installation's lock, reuse what another worker stored or refresh. */
  async function refreshLocked(
    installation: OAuthInstallation,
    auth: InstallationAuth,
    rejected: string | undefined,
  ): Promise<CachedToken> {
    const outcome = await withOAuthRefreshLock(db, installation.teamId, installation.id, async (lock) => {
      const current = await lock.read();
      const stored = await openRow(installation.id, current);
      if (stored && isFresh(stored) && stored.token !== rejected) return { token: stored };
      let result: Awaited<ReturnType<typeof requestNew>>;
      try {
        result = await requestNew(installation, auth);
      } catch (error) {
        // A missing secret or an unusable keyring is no OAuth failure: the caller classifies it (not_found, config_error).
        if (isAppError(error) || error instanceof DecryptionError || error instanceof KeyringError) return { failure: error };
        const failure = classifyOAuthError(
          error,
          installation.name,
          auth.grant === 'client_credentials' ? 'client credentials' : 'refresh token',
        );
        if (failure.errorClass === 'auth_error')
          await lock.recordFailure({ message: failure.message, server: installation.name, errorCode: failure.errorClass });
        return { failure };
      }
      const { tokens, usedRefreshToken } = result;
      onTokenValue?.(tokens.accessToken);
      const issuedAt = Date.now();
      const expiresAt = issuedAt + (tokens.expiresIn !== undefined ? tokens.expiresIn * 1000 : defaultLifetimeMs);
      const version = (current?.version ?? 0) + 1;
      const sealed = await vault.seal(installation.teamId, accessTokenSealId(installation.id), version, tokens.accessToken);
      await lock.storeToken({ version, sealed, expiresAt: new Date(expiresAt), server: installation.name, grant: auth.grant });
      if (tokens.refreshToken && usedRefreshToken && tokens.refreshToken !== usedRefreshToken) {
        // Rotated: the old one is now spent, so the new one must be stored in the same commit as the access token.
        onTokenValue?.(tokens.refreshToken);
        const secret = await getSecretByName(db, installation.teamId, auth.refreshTokenSecret!);
        if (!secret) throw new McpCallError('config_error', `Secret "${auth.refreshTokenSecret}" disappeared during a refresh.`);
        const nextVersion = secret.version + 1;
        await lock.storeRotatedRefreshToken({
          secretId: secret.id,
          name: secret.name,
          version: nextVersion,
          sealed: await vault.seal(installation.teamId, secret.id, nextVersion, tokens.refreshToken),
        });
      }
      return { token: { token: tokens.accessToken, expiresAt, issuedAt } };
    });
    if ('failure' in outcome) throw outcome.failure;
    return outcome.token;
  }

  // A refresh holds a pooled connection (its lock's transaction) and needs another for the vault: bounding how
  // many run at once in this process keeps a burst of expiring installations from exhausting the pool.
  let running = 0;
  const waiting: Array<() => void> = [];
  async function bounded<T>(fn: () => Promise<T>): Promise<T> {
    if (running >= maxConcurrentRefreshes) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  /** One refresh per installation at a time in this process; across processes the advisory lock serialises. */
  function singleFlight(installation: OAuthInstallation, auth: InstallationAuth, rejected: string | undefined): Promise<CachedToken> {
    const pending = inFlight.get(installation.id);
    if (pending) return pending;
    const started = bounded(() => refreshLocked(installation, auth, rejected)).finally(() => inFlight.delete(installation.id));
    inFlight.set(installation.id, started);
    return started;
  }

  async function obtain(installation: OAuthInstallation, rejected?: string): Promise<string> {
    const auth = authOf(installation);
    if (!auth) throw new McpCallError('config_error', `Installation "${installation.name}" has no OAuth settings.`);
    if (auth.grant === 'authorization_code' && !auth.refreshTokenSecret)
      throw new McpCallError(
        'auth_error',
        `OAuth for "${installation.name}" is not connected yet: press "Connect" on the server's page in the dashboard (Servers → ${installation.name} → OAuth).`,
      );
    const configKey = JSON.stringify([auth, serverUrlOf(installation)]);
    const remembered = memory.get(installation.id);
    if (remembered && remembered.configKey === configKey && isFresh(remembered) && remembered.token !== rejected) return remembered.token;
    // Another worker may have refreshed already: the cache row is cheaper than the lock.
    const stored = await openRow(installation.id, await readOAuthToken(db, installation.teamId, installation.id));
    const token = stored && isFresh(stored) && stored.token !== rejected ? stored : await singleFlight(installation, auth, rejected);
    memory.set(installation.id, { ...token, configKey });
    return token.token;
  }

  return {
    /** The token source for this installation's own transport (never shared with another installation). */
    sourceFor(installation: OAuthInstallation): AccessTokenSource {
      return {
        label: `Server "${installation.name}"`,
        token: () => obtain(installation),
        refreshAfterRejection: (rejected) => obtain(installation, rejected),
      };
    },
  };
}

export type OAuthTokenManager = ReturnType<typeof createOAuthTokenManager>;
