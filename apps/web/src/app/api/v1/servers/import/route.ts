import { serverJsonSchema } from '@manifold/core';
import { apiRoute } from '@/server/api/route';

/** Imports a server.json document (MCP registry format) as a team-private catalog entry. */
export const POST = apiRoute({
  scope: 'servers:manage',
  body: serverJsonSchema,
  handler: async ({ acting, body, services }) => ({ status: 201, body: await services.catalog.importServerJson(acting, body) }),
});
