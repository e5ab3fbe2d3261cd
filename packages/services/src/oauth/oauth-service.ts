// OAuth of a team's remote installations, for the dashboard and REST: status (never a token), the
// authorization-code grant with PKCE done once by a user (start → the authorization server → callback), and
// disconnect. The PKCE verifier waits server-side, encrypted under the team key, bound to the user and a
// hashed single-use state; the refresh token becomes a team secret; everything is audited.
import { randomUUID } from 'node:crypto';
import { AppError, isAppError, type InstallationAuth, type InstallationConfig } from '@manifold/core';
import {
  addSecretVersion,
  createOAuthAuthorization,
  createSecret,
  deleteSecret,
  deleteOAuthToken,
  getSecretByName,
  readOAuthToken,
  recordAudit,
  takeOAuthAuthorization,
  updateInstallationConfig,
  withOAuthRefreshLock,
  inTeam,
  type Database,
  type InstallationWithServer,
} from '@manifold/db';
import { sha256Hex } from '@manifold/secrets';
import { authorize } from '../authorize';
import type { ActingContext } from '../context';
import { requireInstallation } from '../lookups';
import type { SecretVault } from '../secret-vault';
import { classifyOAuthError, resourceOf, type OAuthClient } from './oauth-client';
import { accessTokenSealId, authOf, serverUrlOf } from './token-manager';

/** How long a started authorization may take to come back. */
const AUTHORIZATION_TTL_MS = 10 * 60_000;

export interface OAuthStatusView {
  configured: boolean;
  grant: InstallationAuth['grant'] | null;
  issuer: string | null;
  clientId: string | null;
  /** NAME of the team secret holding the client secret. */
  clientSecret: string | null;
  scope: string | null;
  resource: string | null;
  /** client_credentials: a client secret is bound; authorization_code: a refresh token is stored. */
  connected: boolean;
  refreshTokenSecret: string | null;
  accessToken: { expiresAt: string | null; refreshedAt: string | null; version: number } | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

const verifierSealId = (authorizationId: string) => `oauth-pkce-verifier:${authorizationId}`;
/** The default secret name for an installation's refresh token ("my-server" → OAUTH_MY_SERVER_REFRESH_TOKEN). */
const refreshTokenSecretName = (installation: string) =>
  `OAUTH_${installation.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_REFRESH_TOKEN`.slice(0, 64);

export function createOAuthService({ db, vault, client }: { db: Database; vault: SecretVault; client: OAuthClient }) {
  /** One audit record about an installation's OAuth, in its own transaction. */
  async function audit(
    ctx: ActingContext,
    action: string,
    installation: { id: string; name: string },
    extra: Record<string, unknown> = {},
  ) {
    await inTeam(db, ctx.teamId, (tx) =>
      recordAudit(tx, ctx.teamId, {
        actor: ctx.actor,
        action,
        targetType: 'installation',
        targetId: installation.id,
        metadata: { server: installation.name, ...extra },
        ip: ctx.ip ?? null,
      }),
    );
  }

  function requireAuthorizationCode(installation: InstallationWithServer): InstallationAuth {
    const auth = authOf(installation);
    if (!auth || auth.grant !== 'authorization_code')
      throw new AppError('conflict', `Installation "${installation.name}" is not set up for the OAuth authorization-code grant.`, {
        fieldErrors: [{ path: 'config.auth.grant', message: 'Set config.auth with grant "authorization_code" first.' }],
      });
    return auth;
  }

  /** No client id configured: register one dynamically (RFC 7591) and keep it in the installation's settings. */
  async function registerClient(
    ctx: ActingContext,
    installation: InstallationWithServer,
    auth: InstallationAuth,
    serverUrl: string,
    redirectUri: string,
  ): Promise<InstallationAuth> {
    const clientId = await client.registerClient(auth, serverUrl, redirectUri);
    if (!clientId)
      throw new AppError('validation_failed', 'An OAuth client id is needed to connect.', {
        fieldErrors: [
          {
            path: 'config.auth.clientId',
            message: 'The authorization server offers no dynamic registration: register Manifold as a client there and set its id.',
          },
        ],
      });
    const registered = { ...auth, clientId };
    const config = { ...((installation.config ?? {}) as InstallationConfig), auth: registered };
    await updateInstallationConfig(db, ctx.teamId, ctx.actor, installation.id, config);
    return registered;
  }

  const asUser = (ctx: ActingContext): string => {
    if (ctx.actor.type !== 'user')
      throw new AppError('forbidden', 'Connecting an OAuth account is done by a signed-in user in the dashboard.');
    return ctx.actor.id;
  };

  const upstream = (error: unknown, server: string, what: string) => {
    const failure = classifyOAuthError(error, server, what);
    return new AppError(failure.errorClass === 'network_blocked' ? 'validation_failed' : 'upstream_failed', failure.message);
  };

  return {
    async status(ctx: ActingContext, name: string): Promise<OAuthStatusView> {
      authorize(ctx, 'servers:read');
      const installation = await requireInstallation(db, ctx.teamId, name);
      const auth = authOf(installation);
      const row = auth ? await readOAuthToken(db, ctx.teamId, installation.id) : null;
      const secretName = auth?.grant === 'authorization_code' ? auth.refreshTokenSecret : auth?.clientSecret;
      const connected = !!secretName && !!(await getSecretByName(db, ctx.teamId, secretName));
      return {
        configured: !!auth,
        grant: auth?.grant ?? null,
        issuer: auth?.issuer ?? null,
        clientId: auth?.clientId ?? null,
        clientSecret: auth?.clientSecret ?? null,
        scope: auth?.scope ?? null,
        resource: auth ? resourceOf(auth, serverUrlOf(installation)) : null,
        connected,
        refreshTokenSecret: auth?.refreshTokenSecret ?? null,
        accessToken: row?.sealed
          ? { expiresAt: row.expiresAt?.toISOString() ?? null, refreshedAt: row.refreshedAt?.toISOString() ?? null, version: row.version }
          : null,
        lastError: row?.lastError ?? null,
        lastErrorAt: row?.lastErrorAt?.toISOString() ?? null,
      };
    },

    /** Step 1: returns the authorization server URL to send the user to. */
    async startAuthorization(ctx: ActingContext, name: string, redirectUri: string): Promise<{ url: string }> {
      authorize(ctx, 'servers:write');
      const userId = asUser(ctx);
      const installation = await requireInstallation(db, ctx.teamId, name);
      let auth = requireAuthorizationCode(installation);
      const serverUrl = serverUrlOf(installation);
      let started: Awaited<ReturnType<OAuthClient['startAuthorization']>>;
      try {
        if (!auth.clientId) auth = await registerClient(ctx, installation, auth, serverUrl, redirectUri);
        started = await client.startAuthorization(auth, serverUrl, redirectUri);
      } catch (error) {
        if (isAppError(error)) throw error;
        throw upstream(error, installation.name, 'discovery');
      }
      const id = randomUUID();
      const sealed = await vault.seal(ctx.teamId, verifierSealId(id), 1, started.codeVerifier);
      await createOAuthAuthorization(db, ctx.teamId, {
        id,
        installationId: installation.id,
        userId,
        stateHash: sha256Hex(started.state),
        sealed,
        redirectUri,
        expiresAt: new Date(Date.now() + AUTHORIZATION_TTL_MS),
      });
      await audit(ctx, 'oauth.authorization_started', installation);
      return { url: started.url };
    },

    /** Step 2: the callback's query. Exchanges the code, stores the refresh token as a secret and caches the access token. */
    async completeAuthorization(ctx: ActingContext, name: string, callback: URLSearchParams): Promise<void> {
      authorize(ctx, 'servers:write');
      const userId = asUser(ctx);
      const installation = await requireInstallation(db, ctx.teamId, name);
      const auth = requireAuthorizationCode(installation);
      const state = callback.get('state');
      const pending = state ? await takeOAuthAuthorization(db, ctx.teamId, sha256Hex(state)) : null;
      if (!pending || pending.userId !== userId || pending.installationId !== installation.id || pending.expiresAt < new Date())
        throw new AppError(
          'validation_failed',
          'This authorization is unknown, expired or was started by someone else: press "Connect" again.',
        );
      const codeVerifier = await vault.open(pending.sealed, verifierSealId(pending.id), 1);
      const clientSecret = auth.clientSecret
        ? (await vault.resolve(ctx.teamId, [auth.clientSecret], { server: installation.name })).values.get(auth.clientSecret)
        : undefined;
      let tokens: Awaited<ReturnType<OAuthClient['finishAuthorization']>>;
      try {
        tokens = await client.finishAuthorization(auth, serverUrlOf(installation), {
          callbackParameters: callback,
          state: state!,
          codeVerifier,
          redirectUri: pending.redirectUri,
          clientSecret,
        });
      } catch (error) {
        throw upstream(error, installation.name, 'authorization code');
      }
      if (!tokens.refreshToken)
        throw new AppError(
          'upstream_failed',
          `The authorization server issued no refresh token for "${installation.name}"; allow the refresh_token grant for the client (or add the offline_access scope).`,
        );
      // The refresh token is a team secret like any other: versioned, write-only, audited.
      const secretName = auth.refreshTokenSecret ?? refreshTokenSecretName(installation.name);
      const existing = await getSecretByName(db, ctx.teamId, secretName);
      if (existing) {
        const version = existing.version + 1;
        const sealed = await vault.seal(ctx.teamId, existing.id, version, tokens.refreshToken);
        await addSecretVersion(db, ctx.teamId, ctx.actor, { secretId: existing.id, name: secretName, version, sealed });
      } else {
        const id = vault.newSecretId();
        const sealed = await vault.seal(ctx.teamId, id, 1, tokens.refreshToken);
        await createSecret(db, ctx.teamId, ctx.actor, {
          id,
          name: secretName,
          description: `OAuth refresh token of "${installation.name}" (written by Connect).`,
          sealed,
        });
      }
      if (auth.refreshTokenSecret !== secretName) {
        const config = { ...((installation.config ?? {}) as InstallationConfig), auth: { ...auth, refreshTokenSecret: secretName } };
        await updateInstallationConfig(db, ctx.teamId, ctx.actor, installation.id, config);
      }
      // The access token that came with it saves the first run a refresh.
      await withOAuthRefreshLock(db, ctx.teamId, installation.id, async (lock) => {
        const version = ((await lock.read())?.version ?? 0) + 1;
        const sealed = await vault.seal(ctx.teamId, accessTokenSealId(installation.id), version, tokens.accessToken);
        const expiresAt = new Date(Date.now() + (tokens.expiresIn ?? 3600) * 1000);
        await lock.storeToken({ version, sealed, expiresAt, server: installation.name, grant: 'authorization_code' });
      });
      await audit(ctx, 'oauth.connected', installation, { refreshTokenSecret: secretName });
    },

    /** Forgets the cached access token and the stored refresh token; the installation keeps its settings. */
    async disconnect(ctx: ActingContext, name: string): Promise<void> {
      authorize(ctx, 'servers:write');
      const installation = await requireInstallation(db, ctx.teamId, name);
      const auth = authOf(installation);
      if (!auth) throw new AppError('conflict', `Installation "${installation.name}" does not use OAuth.`);
      await deleteOAuthToken(db, ctx.teamId, installation.id);
      if (auth.grant === 'authorization_code' && auth.refreshTokenSecret) {
        const { refreshTokenSecret, ...rest } = auth;
        const config = { ...((installation.config ?? {}) as InstallationConfig), auth: rest };
        await updateInstallationConfig(db, ctx.teamId, ctx.actor, installation.id, config);
        // The refresh token is this connection's credential: it goes with it (audited as a secret deletion).
        const secret = await getSecretByName(db, ctx.teamId, refreshTokenSecret);
        if (secret)
          await deleteSecret(db, ctx.teamId, ctx.actor, { id: secret.id, name: secret.name, forced: true, usedBy: [installation.name] });
      }
      await audit(ctx, 'oauth.disconnected', installation);
    },
  };
}

export type OAuthService = ReturnType<typeof createOAuthService>;
