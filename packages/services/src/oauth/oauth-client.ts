// The OAuth 2 protocol side of remote-server authorization, on oauth4webapi: authorization server discovery
// (from the issuer, or RFC 9728 protected resource metadata), client credentials, refresh, and the
// authorization-code grant with PKCE. Every request goes through the SSRF guard, and every token request
// names the resource (RFC 8707) so tokens are bound to the one server they are for.
import * as oauth from 'oauth4webapi';
import type { InstallationAuth } from '@manifold/core';
import { guardedFetch, McpCallError, type NetworkPolicy } from '@manifold/mcp';

export interface TokenSet {
  accessToken: string;
  /** Seconds, when the authorization server said. */
  expiresIn: number | undefined;
  refreshToken: string | undefined;
}

export interface OAuthClientOptions {
  network: NetworkPolicy;
  /** One discovery or token request. */
  requestTimeoutMs?: number;
  /** How long discovered metadata is reused. */
  metadataTtlMs?: number;
}

/** The resource a token is bound to: the configured indicator, else the server URL without its fragment. */
export function resourceOf(auth: InstallationAuth, serverUrl: string): string {
  const url = new URL(auth.resource ?? serverUrl);
  url.hash = '';
  return url.href;
}

/** OAuth errors after which repeating the request cannot help: the client or grant must be fixed or reconnected. */
const FATAL_OAUTH_ERRORS = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
  'invalid_scope',
  'invalid_target',
  'access_denied',
]);

/** Maps what oauth4webapi or the network throws to our error classes, with a message naming the server (never a token). */
export function classifyOAuthError(error: unknown, server: string, what: string): McpCallError {
  if (error instanceof McpCallError) return error;
  const reconnect = `Reconnect "${server}" in the dashboard (Servers → ${server} → OAuth) or fix its OAuth settings.`;
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ? `: ${error.error_description.slice(0, 200)}` : '';
    if (FATAL_OAUTH_ERRORS.has(error.error))
      return new McpCallError(
        'auth_error',
        `OAuth for "${server}": the authorization server refused the ${what} (${error.error}${description}). ${reconnect}`,
      );
    return new McpCallError(
      'transport_error',
      `OAuth for "${server}": the authorization server failed the ${what} (${error.status} ${error.error}${description}).`,
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const code = error.cause[0]?.parameters.error ?? 'invalid_client';
    return new McpCallError(
      'auth_error',
      `OAuth for "${server}": the authorization server refused the client (${error.status} ${code}). ${reconnect}`,
    );
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    const description = error.error_description ? `: ${error.error_description.slice(0, 200)}` : '';
    return new McpCallError('auth_error', `OAuth for "${server}": the authorization was not granted (${error.error}${description}).`);
  }
  if (error instanceof oauth.OperationProcessingError)
    return new McpCallError('protocol_error', `OAuth for "${server}": unexpected answer to the ${what} (${error.message}).`);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return new McpCallError('timeout', `OAuth for "${server}": no answer to the ${what} in time.`);
  return new McpCallError('transport_error', `OAuth for "${server}": the ${what} failed (${message}).`);
}

export function createOAuthClient({ network, requestTimeoutMs = 15_000, metadataTtlMs = 10 * 60_000 }: OAuthClientOptions) {
  const fetchThroughGuard = guardedFetch(network);
  const requestOptions = () => ({
    [oauth.customFetch]: fetchThroughGuard,
    // The guard decides about http: in production it refuses it except to an allowlisted loopback address.
    [oauth.allowInsecureRequests]: true,
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  const metadata = new Map<string, { server: oauth.AuthorizationServer; until: number }>();

  /** The issuer: configured, else the first authorization server the resource's metadata names (RFC 9728). */
  async function issuerOf(auth: InstallationAuth, serverUrl: string): Promise<URL> {
    if (auth.issuer) return new URL(auth.issuer);
    const resource = new URL(serverUrl);
    const response = await oauth.resourceDiscoveryRequest(resource, requestOptions());
    const described = await oauth.processResourceDiscoveryResponse(resource, response);
    const issuer = described.authorization_servers?.[0];
    if (!issuer) throw new oauth.OperationProcessingError('the protected resource metadata names no authorization server');
    return new URL(issuer);
  }

  async function authorizationServer(auth: InstallationAuth, serverUrl: string): Promise<oauth.AuthorizationServer> {
    const issuer = await issuerOf(auth, serverUrl);
    const cached = metadata.get(issuer.href);
    if (cached && cached.until > Date.now()) return cached.server;
    // RFC 8414 first (what the MCP spec asks of servers), then OpenID Connect discovery.
    let server: oauth.AuthorizationServer;
    try {
      server = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { ...requestOptions(), algorithm: 'oauth2' }),
      );
    } catch {
      server = await oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { ...requestOptions(), algorithm: 'oidc' }),
      );
    }
    metadata.set(issuer.href, { server, until: Date.now() + metadataTtlMs });
    return server;
  }

  function clientAuth(server: oauth.AuthorizationServer, clientSecret: string | undefined): oauth.ClientAuth {
    if (!clientSecret) return oauth.None();
    const methods = server.token_endpoint_auth_methods_supported;
    return methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
      ? oauth.ClientSecretPost(clientSecret)
      : oauth.ClientSecretBasic(clientSecret);
  }

  const toTokenSet = (response: oauth.TokenEndpointResponse): TokenSet => ({
    accessToken: response.access_token,
    expiresIn: response.expires_in,
    refreshToken: response.refresh_token,
  });

  return {
    authorizationServer,

    async clientCredentials(auth: InstallationAuth, serverUrl: string, clientSecret: string | undefined): Promise<TokenSet> {
      const server = await authorizationServer(auth, serverUrl);
      const client = { client_id: auth.clientId! };
      const parameters = new URLSearchParams({ resource: resourceOf(auth, serverUrl), ...(auth.scope ? { scope: auth.scope } : {}) });
      const response = await oauth.clientCredentialsGrantRequest(
        server,
        client,
        clientAuth(server, clientSecret),
        parameters,
        requestOptions(),
      );
      return toTokenSet(await oauth.processClientCredentialsResponse(server, client, response));
    },

    async refresh(auth: InstallationAuth, serverUrl: string, refreshToken: string, clientSecret: string | undefined): Promise<TokenSet> {
      const server = await authorizationServer(auth, serverUrl);
      const client = { client_id: auth.clientId! };
      const response = await oauth.refreshTokenGrantRequest(server, client, clientAuth(server, clientSecret), refreshToken, {
        ...requestOptions(),
        additionalParameters: { resource: resourceOf(auth, serverUrl) },
      });
      return toTokenSet(await oauth.processRefreshTokenResponse(server, client, response));
    },

    /**
     * Dynamic client registration (RFC 7591) for a server whose authorization server offers it and no client id
     * was configured: a public client (PKCE, no secret) allowed only `redirectUri`. Null when not offered.
     */
    async registerClient(auth: InstallationAuth, serverUrl: string, redirectUri: string): Promise<string | null> {
      const server = await authorizationServer(auth, serverUrl);
      if (!server.registration_endpoint) return null;
      const response = await oauth.dynamicClientRegistrationRequest(
        server,
        {
          client_name: 'Manifold',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        },
        requestOptions(),
      );
      return (await oauth.processDynamicClientRegistrationResponse(response)).client_id;
    },

    /** Step 1 of the authorization-code grant: the URL to send the user to, with a fresh PKCE verifier and state. */
    async startAuthorization(auth: InstallationAuth, serverUrl: string, redirectUri: string) {
      const server = await authorizationServer(auth, serverUrl);
      if (!server.authorization_endpoint)
        throw new oauth.OperationProcessingError('the authorization server has no authorization endpoint');
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const url = new URL(server.authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: auth.clientId!,
        redirect_uri: redirectUri,
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        resource: resourceOf(auth, serverUrl),
        ...(auth.scope ? { scope: auth.scope } : {}),
      }).toString();
      return { url: url.href, codeVerifier, state };
    },

    /** Step 2: checks the callback (state, errors) and exchanges the code (with the verifier and the resource). */
    async finishAuthorization(
      auth: InstallationAuth,
      serverUrl: string,
      input: {
        callbackParameters: URLSearchParams;
        state: string;
        codeVerifier: string;
        redirectUri: string;
        clientSecret: string | undefined;
      },
    ): Promise<TokenSet> {
      const server = await authorizationServer(auth, serverUrl);
      const client = { client_id: auth.clientId! };
      const parameters = oauth.validateAuthResponse(server, client, input.callbackParameters, input.state);
      const response = await oauth.authorizationCodeGrantRequest(
        server,
        client,
        clientAuth(server, input.clientSecret),
        parameters,
        input.redirectUri,
        input.codeVerifier,
        { ...requestOptions(), additionalParameters: { resource: resourceOf(auth, serverUrl) } },
      );
      return toTokenSet(await oauth.processAuthorizationCodeResponse(server, client, response));
    },
  };
}

export type OAuthClient = ReturnType<typeof createOAuthClient>;
