import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

const params = z.object({ id: z.string().max(100) });

export const GET = apiRoute({
  scope: 'api_keys:read',
  params,
  handler: async ({ acting, params, services }) => ({ body: await services.apiKeys.get(acting, params.id) }),
});

/** Revokes the key: it answers 401 from now on. Revoking twice is not an error. */
export const DELETE = apiRoute({
  scope: 'api_keys:write',
  params,
  handler: async ({ acting, params, services }) => ({ body: await services.apiKeys.revoke(acting, params.id) }),
});
