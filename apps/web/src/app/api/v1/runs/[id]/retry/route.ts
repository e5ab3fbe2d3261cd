import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/**
 * Retries a failed or cancelled run from its failed step, as a new run linked to the old one. With an
 * `Idempotency-Key` header a repeated request returns the same retry (200); 202 while Temporal is unreachable.
 */
export const POST = apiRoute({
  scope: 'runs:write',
  params: z.object({ id: z.string() }),
  handler: async ({ acting, params, request, services }) => {
    const { runId, retryOf, created, dispatched } = await services.runs.retry(acting, params.id, request.headers.get('idempotency-key'));
    return { status: !dispatched ? 202 : created ? 201 : 200, body: { runId, retryOf }, headers: { location: `/api/v1/runs/${runId}` } };
  },
});
