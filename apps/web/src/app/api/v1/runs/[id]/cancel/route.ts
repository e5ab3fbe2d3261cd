import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** Cancels a queued or running run (202: in-flight calls are being cancelled; poll the run for `cancelled`). */
export const POST = apiRoute({
  scope: 'runs:write',
  params: z.object({ id: z.string() }),
  handler: async ({ acting, params, services }) => ({ status: 202, body: await services.runs.cancel(acting, params.id) }),
});
