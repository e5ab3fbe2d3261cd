import { z } from 'zod';
import { certifyBody } from '@manifold/services';
import { apiRoute } from '@/server/api/route';

const params = z.object({ slug: z.string() });

/** The server's certification history, newest first (tier, scores, version, trigger). */
export const GET = apiRoute({
  scope: 'servers:read',
  params,
  handler: async ({ acting, params, services }) => ({ body: await services.certification.history(acting, params.slug) }),
});

/** Evaluates the server now on the worker (optionally through one of the team's installations); answers with the report. */
export const POST = apiRoute({
  scope: 'servers:write',
  params,
  body: certifyBody,
  handler: async ({ acting, params, body, services }) => ({
    status: 201,
    body: await services.certification.certify(acting, params.slug, body),
  }),
});
