import { catalogQuery, createServerBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';

/** The catalog this team can install from (public entries and its own), filtered by ?q=&tag=&transport=&tier=. */
export const GET = apiRoute({
  scope: 'servers:read',
  query: catalogQuery,
  handler: async ({ acting, query, services }) => ({ body: await services.catalog.list(acting, query) }),
});

/**
 * Adds a team-private catalog entry (owners/admins; keys need `servers:manage`). A stdio command is a pinned
 * `npx -y pkg@x.y.z` / `uvx pkg==x.y.z` or an operator-listed absolute program; the answer shows its exact argv.
 */
export const POST = apiRoute({
  scope: 'servers:manage',
  body: createServerBody,
  handler: async ({ acting, body, services }) => ({ status: 201, body: await services.catalog.create(acting, body) }),
});
