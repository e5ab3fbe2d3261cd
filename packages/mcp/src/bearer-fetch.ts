// Puts an installation's OAuth access token on every request of its own transport, and on a 401 refreshes
// once and repeats the request, so an expired or revoked token never fails a call by itself.
import type { AccessTokenSource } from './connection-spec';
import { McpCallError } from './errors';

export function bearerFetch(inner: typeof fetch, source: AccessTokenSource): typeof fetch {
  const send = async (input: Parameters<typeof fetch>[0], init: RequestInit | undefined, token: string) => {
    // Copied through the constructor: spreading a Headers object drops its entries.
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('authorization', `Bearer ${token}`);
    return inner(input, { ...init, headers });
  };
  return async (input, init) => {
    const token = await source.token();
    const response = await send(input, init, token);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const fresh = await source.refreshAfterRejection(token);
    const retried = await send(input, init, fresh);
    if (retried.status === 401) {
      await retried.body?.cancel();
      throw new McpCallError(
        'auth_error',
        `${source.label} refused a freshly issued access token (401). Check the OAuth settings (resource, scope, client) or reconnect it in the dashboard.`,
      );
    }
    return retried;
  };
}
