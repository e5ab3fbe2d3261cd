import { z } from 'zod';
import { runResponse } from '@manifold/core';
import { apiRoute } from '@/server/api/route';

/** A run with its status, output or error, and every step with its attempts (a wait step: `waiting` until `wakeAt`). */
export const GET = apiRoute({
  summary: 'A run with its steps and attempts; a sleeping wait step is `waiting`, with its wake-up time (`wakeAt`).',
  scope: 'runs:read',
  response: runResponse,
  params: z.object({ id: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: await services.runs.get(acting, params.id) }),
});
