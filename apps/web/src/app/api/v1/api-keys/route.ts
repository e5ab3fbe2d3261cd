import { createApiKeyBody } from '@manifold/services';
import { apiRoute } from '@/server/api/route';

/** The team's API keys (never their secrets): prefix, scopes, last use, expiry, revocation. */
export const GET = apiRoute({
  scope: 'api_keys:read',
  handler: async ({ acting, services }) => ({ body: { items: await services.apiKeys.list(acting) } }),
});

/** Creates a key. The full key is in this response only; store it now. */
export const POST = apiRoute({
  scope: 'api_keys:write',
  body: createApiKeyBody,
  handler: async ({ acting, body, services }) => {
    const created = await services.apiKeys.create(acting, body);
    return { status: 201, body: created, headers: { location: `/api/v1/api-keys/${created.id}`, 'cache-control': 'no-store' } };
  },
});
