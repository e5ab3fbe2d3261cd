import { z } from 'zod';
import { deleteServerQuery, updateServerBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';

/**
 * One catalog entry: tier, the exact argv (stdio) or URL it runs, the tools of the team's newest live listing,
 * its server.json and, for team entries, its revisions.
 */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ slug: z.string() }),
  handler: async ({ acting, params, services }) => {
    const { item, tools, serverJson, versions } = await services.catalog.get(acting, params.slug);
    return { body: { ...item, tools, serverJson, versions } };
  },
});

/**
 * Changes a team-private entry (owners/admins; keys need `servers:manage`). A changed command, URL or
 * declaration is a new revision that the entry's installations run from then on; the answer shows its argv.
 */
export const PATCH = apiRoute({
  scope: 'servers:manage',
  params: z.object({ slug: z.string() }),
  body: updateServerBody,
  handler: async ({ acting, params, body, services }) => ({ body: await services.catalog.update(acting, params.slug, body) }),
});

/** Deletes a team-private entry; 409 while installed unless `?force=true` (which removes those installations). Public entries: 403. */
export const DELETE = apiRoute({
  scope: 'servers:manage',
  params: z.object({ slug: z.string() }),
  query: deleteServerQuery,
  handler: async ({ acting, params, query, services }) => ({ body: await services.catalog.remove(acting, params.slug, query) }),
});
