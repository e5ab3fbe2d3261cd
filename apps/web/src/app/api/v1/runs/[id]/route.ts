import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** A run with its status, output or error, and every step with its attempts. */
export const GET = apiRoute({
  scope: 'runs:read',
  params: z.object({ id: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: await services.runs.get(acting, params.id) }),
});
