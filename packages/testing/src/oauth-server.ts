// A real OAuth 2 authorization server for tests: oidc-provider in process on a free loopback port, with the
// client credentials, refresh token and authorization code (PKCE) grants, resource indicators (access
// tokens are JWTs whose `aud` is the resource), revocation, refresh-token rotation and a short, settable
// access-token lifetime. Counts every grant it serves so tests can assert how often workers refreshed.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { Provider, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { freePort } from './free-port';

export interface OAuthTestClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthServerOptions {
  /** Access-token lifetime in seconds (default 300). */
  accessTokenTtlSeconds?: number;
  /** Redirect URIs allowed for the authorization-code client. */
  redirectUris?: string[];
  /** Rotate the refresh token on every use (default true), as the MCP spec asks of public clients. */
  rotateRefreshTokens?: boolean;
}

export type GrantType = 'client_credentials' | 'refresh_token' | 'authorization_code';

export interface RunningOAuthServer {
  issuer: string;
  jwksUri: string;
  /** Confidential client allowed the client credentials grant. */
  machineClient: OAuthTestClient;
  /** Confidential client allowed the authorization code (PKCE) and refresh token grants. */
  webClient: OAuthTestClient;
  /** Successful token responses per grant type since start (or since resetCounts). */
  grants: Record<GrantType, number>;
  /** Failed token requests by OAuth error code (e.g. invalid_grant). */
  grantErrors: Record<string, number>;
  resetCounts(): void;
  setAccessTokenTtl(seconds: number): void;
  /** Issues a refresh token for the web client bound to `resource`, as a finished authorization-code grant would. */
  issueRefreshToken(input: { resource: string; scope?: string; accountId?: string }): Promise<string>;
  /**
   * Plays the user at the AS's development login and consent pages for `authorizationUrl` (any login is
   * accepted) and returns the URL the AS finally redirects to: the client's callback with code and state.
   */
  completeUserInteraction(authorizationUrl: string, login?: string): Promise<URL>;
  /** Revokes a refresh token through the AS's revocation endpoint (RFC 7009). */
  revokeRefreshToken(token: string): Promise<void>;
  stop(): Promise<void>;
}

export const MCP_SCOPE = 'mcp:tools';

export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<RunningOAuthServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  let accessTokenTtl = options.accessTokenTtlSeconds ?? 300;
  const machineClient = { clientId: 'manifold-machine', clientSecret: randomBytes(24).toString('base64url') };
  const webClient = { clientId: 'manifold-web', clientSecret: randomBytes(24).toString('base64url') };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-key' };

  const configuration: Configuration = {
    clients: [
      {
        client_id: machineClient.clientId,
        client_secret: machineClient.clientSecret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
      {
        client_id: webClient.clientId,
        client_secret: webClient.clientSecret,
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: options.redirectUris ?? ['http://127.0.0.1/callback'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey as never] },
    scopes: ['openid', 'offline_access', MCP_SCOPE],
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: true },
      revocation: { enabled: true, allowedPolicy: () => true },
      // Open dynamic client registration (RFC 7591), as the MCP authorization spec suggests servers offer.
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: MCP_SCOPE,
          audience: resource,
          accessTokenTTL: accessTokenTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // The web client gets a refresh token without the offline_access dance.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: options.rotateRefreshTokens ?? true,
    pkce: { required: () => true },
    ttl: {
      AccessToken: () => accessTokenTtl,
      ClientCredentials: () => accessTokenTtl,
      IdToken: 3_600,
      RefreshToken: 86_400,
      Session: 3_600,
      Interaction: 600,
      Grant: 86_400,
      AuthorizationCode: 60,
    },
  };
  const provider = new Provider(issuer, configuration);

  const grants: Record<GrantType, number> = { client_credentials: 0, refresh_token: 0, authorization_code: 0 };
  const grantErrors: Record<string, number> = {};
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const type = ctx.oidc.params?.grant_type as GrantType | undefined;
    if (type && type in grants) grants[type]++;
  });
  provider.on('grant.error', (_ctx: KoaContextWithOIDC, error: { error?: string }) => {
    const code = error.error ?? 'unknown';
    grantErrors[code] = (grantErrors[code] ?? 0) + 1;
  });

  const handle = provider.callback();
  // Koa's handler returns a promise it handles itself.
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    machineClient,
    webClient,
    grants,
    grantErrors,
    resetCounts() {
      for (const key of Object.keys(grants) as GrantType[]) grants[key] = 0;
      for (const key of Object.keys(grantErrors)) delete grantErrors[key];
    },
    setAccessTokenTtl(seconds) {
      accessTokenTtl = seconds;
    },
    async issueRefreshToken({ resource, scope = `openid ${MCP_SCOPE}`, accountId = 'test-user' }) {
      const client = await provider.Client.find(webClient.clientId);
      if (!client) throw new Error('the web client is missing');
      const grant = new provider.Grant({ clientId: webClient.clientId, accountId });
      grant.addOIDCScope('openid');
      grant.addResourceScope(resource, MCP_SCOPE);
      const grantId = await grant.save();
      const refreshToken = new provider.RefreshToken({ client, accountId, grantId, scope, resource, gty: 'authorization_code' });
      return refreshToken.save();
    },
    async completeUserInteraction(authorizationUrl, login = 'test-user') {
      const cookies = new Map<string, string>();
      const request = async (url: URL, init: RequestInit = {}) => {
        const response = await fetch(url, {
          ...init,
          redirect: 'manual',
          headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const [name, ...value] = pair!.split('=');
          cookies.set(name!.trim(), value.join('='));
        }
        return response;
      };
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 20; hop++) {
        if (url.origin !== issuer) return url; // left the AS: the client's redirect URI
        const response = await request(url);
        const location = response.headers.get('location');
        if (location) {
          url = new URL(location, url);
          continue;
        }
        const page = await response.text();
        const prompt = /name="prompt" value="(login|consent)"/.exec(page)?.[1];
        if (!prompt) throw new Error(`unexpected page at ${url.pathname}: ${response.status} ${page.slice(0, 300)}`);
        const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
        const submitted = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        });
        const next = submitted.headers.get('location');
        if (!next) throw new Error(`the ${prompt} form answered ${submitted.status} without a redirect`);
        url = new URL(next, url);
      }
      throw new Error('too many redirects at the authorization server');
    },
    async revokeRefreshToken(token) {
      const basic = Buffer.from(`${webClient.clientId}:${webClient.clientSecret}`).toString('base64');
      const response = await fetch(`${issuer}/token/revocation`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }),
      });
      if (!response.ok) throw new Error(`revocation answered ${response.status}: ${await response.text()}`);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
