import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** Runs initialize + tools/list live on the worker and reports the result and latency (nothing is stored). */
export const POST = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: await services.installations.testConnection(acting, params.name) }),
});
