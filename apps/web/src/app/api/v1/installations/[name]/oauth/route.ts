import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/**
 * The installation's OAuth status: settings (secret names only), whether it is connected, when the cached
 * access token expires and was last refreshed, and the last authorization error. Never a token.
 * Configure OAuth with PATCH /api/v1/installations/:name {"config": {"auth": {…}}}; connect the
 * authorization-code grant in the dashboard.
 */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: await services.oauth.status(acting, params.name) }),
});

/** Disconnect: forgets the cached access token and deletes the stored refresh token (the settings stay). */
export const DELETE = apiRoute({
  scope: 'servers:write',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => {
    await services.oauth.disconnect(acting, params.name);
    return new Response(null, { status: 204 });
  },
});
