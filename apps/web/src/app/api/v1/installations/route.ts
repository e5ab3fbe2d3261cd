import { createInstallationBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';
import { presentInstallation } from './present';

export const GET = apiRoute({
  scope: 'servers:read',
  handler: async ({ acting, services }) => ({ body: { items: (await services.installations.list(acting)).map((i) => presentInstallation(i)) } }),
});

/** Adds a catalog server to the team under a name workflows use. */
export const POST = apiRoute({
  scope: 'servers:write',
  body: createInstallationBody,
  handler: async ({ acting, body, services }) => {
    const installation = await services.installations.install(acting, body);
    return { status: 201, body: presentInstallation(installation), headers: { location: `/api/v1/installations/${installation.name}` } };
  },
});
