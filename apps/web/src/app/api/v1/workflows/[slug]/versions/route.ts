import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

/** Every version of a workflow, newest first, with its definition. */
export const GET = apiRoute({
  scope: 'workflows:read',
  params: z.object({ slug: z.string() }),
  handler: async ({ acting, params, services }) => {
    const { workflow, versions } = await services.workflows.versions(acting, params.slug);
    return {
      body: {
        currentVersion: workflow.currentVersion,
        items: versions.map((v) => ({ version: v.version, definition: v.definition, createdAt: v.createdAt.toISOString() })),
      },
    };
  },
});
