import { apiRoute } from '@/server/api/route';

/** The catalog this team can install from: public entries and its own private ones. */
export const GET = apiRoute({
  scope: 'servers:read',
  handler: async ({ acting, services }) => {
    const servers = await services.installations.listCatalog(acting);
    return {
      body: {
        items: servers.map((s) => ({
          slug: s.slug,
          name: s.name,
          description: s.description,
          version: s.version,
          transport: s.transport,
          visibility: s.teamId ? 'team' : 'public',
          tags: s.tags,
          repository: s.repository,
        })),
      },
    };
  },
});
