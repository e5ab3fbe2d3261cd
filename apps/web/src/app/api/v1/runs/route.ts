import { createRunBody, listRunsQuery, runListResponse, runResponse } from '@manifold/core';
import { apiRoute } from '@/server/api/route';

/** Runs of this team, newest first, filtered and paged by cursor. */
export const GET = apiRoute({
  scope: 'runs:read',
  query: listRunsQuery,
  response: runListResponse,
  handler: async ({ acting, query, services }) => ({ body: await services.runs.list(acting, query) }),
});

/**
 * Starts a run. With an `Idempotency-Key` header, repeating the request returns the same run (200) instead
 * of starting another; the same key with a different body is a 409. While Temporal is unreachable the run is
 * still accepted (202, `queued`): the run sweep starts it when Temporal is back, so a client need not retry.
 */
export const POST = apiRoute({
  scope: 'runs:write',
  body: createRunBody,
  response: runResponse,
  handler: async ({ acting, body, request, services }) => {
    const { runId, created, view, dispatched } = await services.runs.trigger(acting, body, request.headers.get('idempotency-key'));
    const run = view ?? (await services.runs.get(acting, runId));
    return { status: !dispatched ? 202 : created ? 201 : 200, body: run, headers: { location: `/api/v1/runs/${runId}` } };
  },
});
