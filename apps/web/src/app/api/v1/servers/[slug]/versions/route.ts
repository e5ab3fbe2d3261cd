import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** A team-private entry's revisions, newest first: each argv or URL it ran and who set it (public entries: none). */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ slug: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: await services.catalog.versions(acting, params.slug) }),
});
