import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** Retries a failed or cancelled run from its failed step, as a new run linked to the old one. */
export const POST = apiRoute({
  scope: 'runs:write',
  params: z.object({ id: z.string() }),
  handler: async ({ acting, params, services }) => {
    const retry = await services.runs.retry(acting, params.id);
    return { status: 201, body: retry, headers: { location: `/api/v1/runs/${retry.runId}` } };
  },
});
