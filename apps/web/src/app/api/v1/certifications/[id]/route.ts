import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** One certification report: scores, every check with its evidence, the reasons for the tier, and latency samples. */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ id: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: await services.certification.report(acting, params.id) }),
});
