import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** Lists the installation's tools live (tools/list on the worker) and stores the snapshot. */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => {
    const { tools, latencyMs } = await services.installations.listTools(acting, params.name);
    return { body: { installation: params.name, latencyMs, tools } };
  },
});
