import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** Exports a catalog entry in the MCP registry's server.json format. */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ slug: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: await services.catalog.exportServerJson(acting, params.slug) }),
});
