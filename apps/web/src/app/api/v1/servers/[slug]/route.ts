import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** One catalog entry: tier, the tools of the team's newest live listing, and its server.json. */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ slug: z.string() }),
  handler: async ({ acting, params, services }) => {
    const { item, tools, serverJson } = await services.catalog.get(acting, params.slug);
    return { body: { ...item, tools, serverJson } };
  },
});
