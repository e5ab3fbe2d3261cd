import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** The installation's pinned tool snapshots (newest first) and the pending change, if any, with its diff. */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: await services.toolPinning.snapshots(acting, params.name) }),
});
