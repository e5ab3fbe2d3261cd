import { z } from 'zod';
import { deleteSecretQuery, putSecretBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';
import { presentSecret } from '../present';

const params = z.object({ name: z.string() });

export const GET = apiRoute({
  scope: 'secrets:read',
  params,
  handler: async ({ acting, params, services }) => ({ body: presentSecret(await services.secrets.get(acting, params.name)) }),
});

/** A new version; installations pick it up on their next call. */
export const PUT = apiRoute({
  scope: 'secrets:write',
  params,
  body: putSecretBody,
  handler: async ({ acting, params, body, services }) => ({
    body: presentSecret(await services.secrets.putVersion(acting, params.name, body)),
  }),
});

/** Refused (409) while an installation binds it, unless `?force=true`. */
export const DELETE = apiRoute({
  scope: 'secrets:write',
  params,
  query: deleteSecretQuery,
  handler: async ({ acting, params, query, services }) => {
    await services.secrets.delete(acting, params.name, query);
    return new Response(null, { status: 204 });
  },
});
