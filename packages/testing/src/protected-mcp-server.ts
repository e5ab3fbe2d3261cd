// The fixture MCP server behind OAuth, in process: every request needs a Bearer JWT signed by the test
// authorization server, with `aud` = this server's URL (RFC 8707); otherwise 401 with a WWW-Authenticate
// that points at its protected resource metadata (RFC 9728), which it serves too. Counts token uses and
// can reject the tokens it has seen so far (a server-side revocation).
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { serveHttp, sendJson, MCP_PATH } from './fixture-server/http';
import { FixtureState } from './fixture-server/state';
import { freePort } from './free-port';
import { sha256Hex } from './sha256';

export interface ProtectedMcpServerOptions {
  issuer: string;
  jwksUri: string;
  /** The audience tokens must name; default: this server's own URL. */
  audience?: string;
}

export interface RunningProtectedMcpServer {
  url: string;
  /** Requests with a valid token, per SHA-256 of the token (tokens themselves are not kept). */
  acceptedTokens: Map<string, number>;
  /** Requests answered 401, by reason. */
  rejections: { missing: number; invalid: number; revoked: number };
  /** SHA-256 of every Authorization bearer value that reached this server, valid or not. */
  seenTokenHashes: Set<string>;
  /** The distinct tokens it accepted, in clear (test-only: the leak scans look for them elsewhere). */
  acceptedTokenValues: Set<string>;
  /** From now on, every token seen so far is refused with 401 (as if revoked at the resource server). */
  revokeSeenTokens(): void;
  stop(): Promise<void>;
}

export async function startProtectedMcpServer(options: ProtectedMcpServerOptions): Promise<RunningProtectedMcpServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}${MCP_PATH}`;
  const audience = options.audience ?? url;
  const metadataUrl = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource${MCP_PATH}`;
  const jwks = createRemoteJWKSet(new URL(options.jwksUri));
  const acceptedTokens = new Map<string, number>();
  const seenTokenHashes = new Set<string>();
  const acceptedTokenValues = new Set<string>();
  const revoked = new Set<string>();
  const rejections = { missing: 0, invalid: 0, revoked: 0 };

  const unauthorized = (res: Parameters<typeof sendJson>[0], error: string) => {
    res.setHeader('WWW-Authenticate', `Bearer error="${error}", resource_metadata="${metadataUrl}"`);
    sendJson(res, 401, { error });
    return true;
  };

  const server = await serveHttp({
    port,
    state: new FixtureState(),
    async gate(req, res, requestUrl) {
      if (requestUrl.pathname === new URL(metadataUrl).pathname) {
        sendJson(res, 200, { resource: url, authorization_servers: [options.issuer], bearer_methods_supported: ['header'] });
        return true;
      }
      const header = req.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      if (!token) {
        rejections.missing++;
        return unauthorized(res, 'invalid_request');
      }
      const hash = sha256Hex(token);
      seenTokenHashes.add(hash);
      if (revoked.has(hash)) {
        rejections.revoked++;
        return unauthorized(res, 'invalid_token');
      }
      try {
        await jwtVerify(token, jwks, { issuer: options.issuer, audience });
      } catch {
        rejections.invalid++;
        return unauthorized(res, 'invalid_token');
      }
      acceptedTokens.set(hash, (acceptedTokens.get(hash) ?? 0) + 1);
      acceptedTokenValues.add(token);
      return false;
    },
  });

  return {
    url,
    acceptedTokens,
    rejections,
    seenTokenHashes,
    acceptedTokenValues,
    revokeSeenTokens() {
      for (const hash of seenTokenHashes) revoked.add(hash);
    },
    stop: () => server.close(),
  };
}
