// OAuth for remote servers end to end: a real authorization server (oidc-provider) and real MCP servers that
// validate its JWTs (issuer, signature, audience), the real worker on Temporal and Postgres. Covers client
// credentials, refresh before expiry across a durable wait, refresh once on a 401, a revoked refresh token,
// two token managers racing for one refresh, audience binding, and where tokens may (not) appear.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflowId } from '@manifold/core';
import { createPrivateServer, listAuditLog, readOAuthToken } from '@manifold/db';
import { createKeyringWrapper } from '@manifold/secrets';
import { createOAuthClient, createOAuthTokenManager, createSecretVault, type ActingContext, type RunView } from '@manifold/services';
import {
  MCP_SCOPE,
  startOAuthServer,
  sha256Hex,
  startProtectedMcpServer,
  type RunningOAuthServer,
  type RunningProtectedMcpServer,
} from '@manifold/testing';
import { waitForRunEnd } from './run-helpers';
import { columnsContaining, flatten, logCapture } from './leak-scan';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;
let as: RunningOAuthServer;
let serverA: RunningProtectedMcpServer;
let serverB: RunningProtectedMcpServer;
const logs = logCapture();

async function run(workflow: string): Promise<RunView> {
  const { runId } = await platform.services.runs.trigger(team, { workflow, input: {} }, null);
  return waitForRunEnd(platform.services, team, runId, 90_000);
}

const echoStep = (id: string, server: string) => ({ id, type: 'tool', server, tool: 'echo', args: { message: id } });

async function workflow(slug: string, steps: unknown[]) {
  await platform.services.workflows.create(team, { slug, name: slug, definition: { steps } });
}

/** Authorization-code auth through the AS's web client (its secret is the team secret WEB_CLIENT_SECRET). */
const webClientAuth = () => ({
  type: 'oauth2',
  grant: 'authorization_code',
  issuer: as.issuer,
  clientId: as.webClient.clientId,
  clientSecret: 'WEB_CLIENT_SECRET',
});

/** A fresh authorization-code installation on server A whose refresh token (issued by the AS) is a team secret. */
async function connectedInstallation(name: string, secretName: string): Promise<string> {
  const refreshToken = await as.issueRefreshToken({ resource: serverA.url });
  await platform.services.secrets.create(team, { name: secretName, value: refreshToken });
  await platform.services.installations.install(team, {
    server: 'protected-a',
    name,
    config: {
      auth: { ...webClientAuth(), refreshTokenSecret: secretName },
    },
  });
  return refreshToken;
}

beforeAll(async () => {
  platform = await startPlatform({ logLevel: 'debug', logDestination: logs.sink });
  as = await startOAuthServer({ accessTokenTtlSeconds: 300 });
  [serverA, serverB] = await Promise.all([
    startProtectedMcpServer({ issuer: as.issuer, jwksUri: as.jwksUri }),
    startProtectedMcpServer({ issuer: as.issuer, jwksUri: as.jwksUri }),
  ]);
  team = await platform.newTeam('oauth');
  const entry = {
    version: '1.0.0',
    repository: null,
    tags: [],
    metadata: {},
    description: 'Fixture behind OAuth',
    transport: 'http' as const,
  };
  await createPrivateServer(platform.db, team.teamId, {
    ...entry,
    slug: 'protected-a',
    name: 'Protected A',
    command: [],
    url: serverA.url,
  });
  await createPrivateServer(platform.db, team.teamId, {
    ...entry,
    slug: 'protected-b',
    name: 'Protected B',
    command: [],
    url: serverB.url,
  });
  await platform.services.secrets.create(team, { name: 'MACHINE_SECRET', value: as.machineClient.clientSecret });
  await platform.services.secrets.create(team, { name: 'WEB_CLIENT_SECRET', value: as.webClient.clientSecret });
  const machineAuth = {
    type: 'oauth2',
    grant: 'client_credentials',
    clientId: as.machineClient.clientId,
    clientSecret: 'MACHINE_SECRET',
    scope: MCP_SCOPE,
  };
  await platform.services.installations.install(team, {
    server: 'protected-a',
    name: 'machine-a',
    config: { auth: { ...machineAuth, issuer: as.issuer } },
  });
  // No issuer: discovered from server B's protected resource metadata (RFC 9728).
  await platform.services.installations.install(team, { server: 'protected-b', name: 'machine-b', config: { auth: machineAuth } });
  await workflow('machine', [echoStep('one', 'machine-a')]);
  await workflow('both', [echoStep('a', 'machine-a'), echoStep('b', 'machine-b'), echoStep('a2', 'machine-a')]);
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([serverA?.stop(), serverB?.stop(), as?.stop()]);
  await platform?.stop();
});

describe('OAuth for remote servers', () => {
  it('runs with client credentials; the access token is stored only as ciphertext, never in history, logs or other columns', async () => {
    as.resetCounts();
    const view = await run('machine');
    expect(view.status).toBe('succeeded');
    expect(as.grants.client_credentials).toBe(1);
    expect(serverA.acceptedTokenValues.size).toBe(1);
    const [token] = [...serverA.acceptedTokenValues];
    const history = flatten(await platform.temporal.env.client.workflow.getHandle(runWorkflowId(view.id)).fetchHistory());
    expect(history).not.toContain(token!);
    expect(logs.lines.join('\n')).not.toContain(token!);
    expect(JSON.stringify(view)).not.toContain(token!);
    expect(await columnsContaining(platform.databaseUrl, token!)).toEqual([]);
    expect(await columnsContaining(platform.databaseUrl, as.machineClient.clientSecret)).toEqual([]);
    const installation = await platform.services.installations.get(team, 'machine-a');
    const cached = await readOAuthToken(platform.db, team.teamId, installation.id);
    expect(cached?.sealed?.bytes.ciphertext.length).toBeGreaterThan(0);
    const audit = await listAuditLog(platform.db, team.teamId, { limit: 50, action: 'oauth.' });
    expect(audit.items.map((e) => e.action)).toContain('oauth.token_issued');
  });

  it('"Test connection" and the live tool listing connect with the token too', async () => {
    const probe = await platform.services.installations.testConnection(team, 'machine-b');
    expect(probe).toMatchObject({ ok: true, error: null });
    expect(probe.tools).toContain('echo');
    const listed = await platform.services.installations.listTools(team, 'machine-a');
    expect(listed.tools.map((t) => t.name)).toContain('echo');
  });

  it('refreshes before expiry: a token that expires during a durable wait never fails a step', async () => {
    const firstRefreshToken = await connectedInstallation('user-a', 'USER_A_REFRESH');
    await workflow('wait-between', [
      echoStep('before', 'user-a'),
      { id: 'pause', type: 'wait', duration: '4s' },
      echoStep('after', 'user-a'),
    ]);
    as.setAccessTokenTtl(2);
    as.resetCounts();
    try {
      const view = await run('wait-between');
      expect(view.status).toBe('succeeded');
      // One refresh for the first call, at least one more after the token expired during the wait.
      expect(as.grants.refresh_token).toBeGreaterThanOrEqual(2);
      for (const step of view.steps.filter((s) => s.kind === 'tool')) expect(step.attempts.map((a) => a.status)).toEqual(['succeeded']);
      // The AS rotates refresh tokens: each rotation was stored as a new version of the secret.
      const secret = await platform.services.secrets.get(team, 'USER_A_REFRESH');
      expect(secret.version).toBe(1 + as.grants.refresh_token);
      expect(as.grantErrors).toEqual({});
      expect(await columnsContaining(platform.databaseUrl, firstRefreshToken)).toEqual([]); // only ever stored encrypted
    } finally {
      as.setAccessTokenTtl(300);
    }
  });

  it('on a 401 refreshes once and repeats the call: the step succeeds in its first attempt', async () => {
    expect((await run('machine')).status).toBe('succeeded'); // a cached, valid token
    serverA.revokeSeenTokens();
    as.resetCounts();
    const revokedBefore = serverA.rejections.revoked;
    const view = await run('machine');
    expect(view.status).toBe('succeeded');
    expect(view.steps[0]!.attempts).toHaveLength(1);
    expect(serverA.rejections.revoked - revokedBefore).toBe(1);
    expect(as.grants.client_credentials).toBe(1);
  });

  it('a revoked refresh token fails the step once with a clear, non-retried auth_error', async () => {
    const refreshToken = await connectedInstallation('revoked-a', 'REVOKED_REFRESH');
    await as.revokeRefreshToken(refreshToken);
    await workflow('revoked', [{ ...echoStep('call', 'revoked-a'), retry: { maxAttempts: 5, initialInterval: '1s' } }]);
    const view = await run('revoked');
    expect(view.status).toBe('failed');
    const [attempt, ...others] = view.steps[0]!.attempts;
    expect(others).toEqual([]);
    expect(attempt!.errorClass).toBe('auth_error');
    expect(attempt!.errorMessage).toContain('"revoked-a"');
    expect(attempt!.errorMessage).toContain('invalid_grant');
    expect(attempt!.errorMessage).toMatch(/Reconnect/);
    expect(JSON.stringify(view)).not.toContain(refreshToken);
    const installation = await platform.services.installations.get(team, 'revoked-a');
    expect((await readOAuthToken(platform.db, team.teamId, installation.id))?.lastError).toContain('invalid_grant');
  });

  it('two workers needing a new token at once: the authorization server sees exactly one refresh', async () => {
    await connectedInstallation('race-a', 'RACE_REFRESH');
    const installation = await platform.services.installations.get(team, 'race-a');
    // Separate managers share nothing in memory, like separate worker processes; only Postgres coordinates them.
    const managers = Array.from({ length: 4 }, () =>
      createOAuthTokenManager({
        db: platform.db,
        vault: createSecretVault({ db: platform.db, keyWrapper: createKeyringWrapper(platform.keyring) }),
        client: createOAuthClient({ network: { allowLoopback: true } }),
      }),
    );
    as.resetCounts();
    const tokens = await Promise.all(managers.map((m) => m.sourceFor(installation).token()));
    expect(new Set(tokens).size).toBe(1);
    expect(as.grants.refresh_token).toBe(1);
    expect(as.grantErrors).toEqual({});
    // After a 401 on that token, again one refresh for all of them.
    const fresh = await Promise.all(managers.map((m) => m.sourceFor(installation).refreshAfterRejection(tokens[0]!)));
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(tokens[0]);
    expect(as.grants.refresh_token).toBe(2);
    expect(as.grantErrors).toEqual({});
  });

  it("binds tokens to their server: A's token never reaches B and B's never reaches A", async () => {
    const before = { a: serverA.rejections.invalid, b: serverB.rejections.invalid };
    const view = await run('both');
    expect(view.status).toBe('succeeded');
    const aTokens = new Set([...serverA.acceptedTokenValues].map(sha256Hex));
    const bTokens = new Set([...serverB.acceptedTokenValues].map(sha256Hex));
    expect(bTokens.size).toBeGreaterThan(0);
    for (const hash of aTokens) expect(serverB.seenTokenHashes.has(hash)).toBe(false);
    for (const hash of bTokens) expect(serverA.seenTokenHashes.has(hash)).toBe(false);
    expect({ a: serverA.rejections.invalid, b: serverB.rejections.invalid }).toEqual(before);
  });

  it('connects with the authorization-code grant (PKCE S256, resource) once, then runs on the stored refresh token', async () => {
    const redirectUri = 'http://127.0.0.1/callback';
    await platform.services.installations.install(team, {
      server: 'protected-a',
      name: 'conn-a',
      config: {
        auth: { ...webClientAuth(), scope: `openid ${MCP_SCOPE}` },
      },
    });
    await workflow('connected', [echoStep('call', 'conn-a')]);
    expect(await platform.services.oauth.status(team, 'conn-a')).toMatchObject({ configured: true, connected: false, accessToken: null });
    const notYet = await run('connected');
    expect(notYet.steps[0]!.attempts.map((a) => a.errorClass)).toEqual(['auth_error']);
    expect(notYet.steps[0]!.attempts[0]!.errorMessage).toContain('not connected yet');

    const { url } = await platform.services.oauth.startAuthorization(team, 'conn-a', redirectUri);
    const request = new URL(url).searchParams;
    expect(request.get('code_challenge_method')).toBe('S256');
    expect(request.get('resource')).toBe(serverA.url);
    const callback = await as.completeUserInteraction(url);
    expect(callback.searchParams.get('code')).toBeTruthy();
    as.resetCounts();
    await platform.services.oauth.completeAuthorization(team, 'conn-a', callback.searchParams);
    expect(as.grants.authorization_code).toBe(1);
    // The state is single use: replaying the callback is refused.
    await expect(platform.services.oauth.completeAuthorization(team, 'conn-a', callback.searchParams)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const status = await platform.services.oauth.status(team, 'conn-a');
    expect(status).toMatchObject({ connected: true, refreshTokenSecret: 'OAUTH_CONN_A_REFRESH_TOKEN', lastError: null });
    expect(status.accessToken?.expiresAt).toBeTruthy();
    expect(JSON.stringify(status)).not.toMatch(/eyJ/); // no JWT in the status

    const view = await run('connected');
    expect(view.status).toBe('succeeded');
    expect(as.grants.refresh_token).toBe(0); // the access token from the code exchange was cached and used

    await platform.services.oauth.disconnect(team, 'conn-a');
    expect(await platform.services.oauth.status(team, 'conn-a')).toMatchObject({
      connected: false,
      accessToken: null,
      refreshTokenSecret: null,
    });
    await expect(platform.services.secrets.get(team, 'OAUTH_CONN_A_REFRESH_TOKEN')).rejects.toMatchObject({ code: 'not_found' });
    const actions = (await listAuditLog(platform.db, team.teamId, { limit: 100, action: 'oauth.' })).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['oauth.authorization_started', 'oauth.connected', 'oauth.disconnected']));
  });

  it('without a client id, registers Manifold dynamically (RFC 7591) as a public PKCE client, then connects', async () => {
    await platform.services.installations.install(team, {
      server: 'protected-a',
      name: 'dcr-a',
      config: { auth: { type: 'oauth2', grant: 'authorization_code', scope: `openid ${MCP_SCOPE}` } }, // issuer discovered (RFC 9728)
    });
    const { url } = await platform.services.oauth.startAuthorization(team, 'dcr-a', 'http://127.0.0.1/dcr-callback');
    const { clientId } = await platform.services.oauth.status(team, 'dcr-a');
    expect(clientId).toBeTruthy();
    expect(new URL(url).searchParams.get('client_id')).toBe(clientId);
    await platform.services.oauth.completeAuthorization(team, 'dcr-a', (await as.completeUserInteraction(url)).searchParams);
    await workflow('dcr', [echoStep('call', 'dcr-a')]);
    expect((await run('dcr')).status).toBe('succeeded');
  });

  it('a wrong client secret is an auth_error too (client authentication refused), not retried', async () => {
    await platform.services.secrets.create(team, { name: 'WRONG_SECRET', value: 'not-the-client-secret' });
    await platform.services.installations.install(team, {
      server: 'protected-a',
      name: 'wrong-client',
      config: {
        auth: {
          type: 'oauth2',
          grant: 'client_credentials',
          issuer: as.issuer,
          clientId: as.machineClient.clientId,
          clientSecret: 'WRONG_SECRET',
        },
      },
    });
    await workflow('wrong-client', [echoStep('call', 'wrong-client')]);
    const view = await run('wrong-client');
    expect(view.status).toBe('failed');
    expect(view.steps[0]!.attempts.map((a) => a.errorClass)).toEqual(['auth_error']);
    expect(view.steps[0]!.attempts[0]!.errorMessage).toContain('"wrong-client"');
    expect(view.steps[0]!.attempts[0]!.errorMessage).toContain('invalid_client');
  });

  it('refuses an Authorization header beside OAuth, and OAuth on a stdio server', async () => {
    await expect(
      platform.services.installations.update(team, 'machine-a', { config: { headers: { Authorization: 'Bearer x' } } }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      platform.services.installations.install(team, {
        server: 'protected-a',
        name: `bad-${randomUUID().slice(0, 8)}`,
        config: { auth: { type: 'oauth2', grant: 'client_credentials', clientId: 'x' } },
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
