import { createSecretBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';
import { presentSecret } from './present';

export const GET = apiRoute({
  scope: 'secrets:read',
  handler: async ({ acting, services }) => ({ body: { items: (await services.secrets.list(acting)).map(presentSecret) } }),
});

/** Stores a new secret (version 1). The value is write-only: no response ever contains it. */
export const POST = apiRoute({
  scope: 'secrets:write',
  body: createSecretBody,
  handler: async ({ acting, body, services }) => {
    const secret = await services.secrets.create(acting, body);
    return { status: 201, body: presentSecret(secret), headers: { location: `/api/v1/secrets/${secret.name}` } };
  },
});
