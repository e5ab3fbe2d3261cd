import { z } from 'zod';
import { approveToolsBody } from '@manifold/services';
import { apiRoute } from '@/server/api/route';

/** Approves the pending tool definitions (optionally only if `snapshotId` is still the pending one); held runs may start again. */
export const POST = apiRoute({
  scope: 'servers:write',
  params: z.object({ name: z.string() }),
  body: approveToolsBody,
  handler: async ({ acting, params, body, services }) => ({ body: await services.toolPinning.approve(acting, params.name, body) }),
});
