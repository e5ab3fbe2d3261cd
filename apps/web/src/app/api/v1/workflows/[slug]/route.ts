import { z } from 'zod';
import { apiRoute } from '@/server/api/route';
import { presentWorkflow } from '../present';

export const GET = apiRoute({
  scope: 'workflows:read',
  params: z.object({ slug: z.string() }),
  handler: async ({ acting, params, services }) => {
    const workflow = await services.workflows.get(acting, params.slug);
    return { body: presentWorkflow({ ...workflow, definition: workflow.version.definition }) };
  },
});
