import { z } from 'zod';
import { updateInstallationBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';
import { presentInstallation } from '../present';

export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: presentInstallation(await services.installations.get(acting, params.name)) }),
});

/** Updates config fields (url, args, env, headers); env and headers bind secrets as "{{ secrets.NAME }}". */
export const PATCH = apiRoute({
  scope: 'servers:write',
  params: z.object({ name: z.string() }),
  body: updateInstallationBody,
  handler: async ({ acting, params, body, services }) => ({
    body: presentInstallation(await services.installations.update(acting, params.name, body)),
  }),
});
