import { catalogQuery, createServerBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';

/** The catalog this team can install from (public entries and its own), filtered by ?q=&tag=&transport=&tier=. */
export const GET = apiRoute({
  scope: 'servers:read',
  query: catalogQuery,
  handler: async ({ acting, query, services }) => ({ body: await services.catalog.list(acting, query) }),
});

/** Adds a team-private catalog entry. */
export const POST = apiRoute({
  scope: 'servers:write',
  body: createServerBody,
  handler: async ({ acting, body, services }) => ({ status: 201, body: await services.catalog.create(acting, body) }),
});
