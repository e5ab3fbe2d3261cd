import { z } from 'zod';
import { updateWorkflowBody } from '@manifold/core';
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

/** Saves a new immutable version of the definition and makes it current; running runs keep theirs. */
export const PUT = apiRoute({
  scope: 'workflows:write',
  params: z.object({ slug: z.string() }),
  body: updateWorkflowBody,
  handler: async ({ acting, params, body, services }) => {
    const workflow = await services.workflows.update(acting, params.slug, body);
    return { body: presentWorkflow({ ...workflow, definition: workflow.version.definition }) };
  },
});

/** Archives the workflow: it can no longer be run or listed; its runs and versions stay readable. */
export const DELETE = apiRoute({
  scope: 'workflows:write',
  params: z.object({ slug: z.string() }),
  handler: async ({ acting, params, services }) => {
    await services.workflows.archive(acting, params.slug);
    return new Response(null, { status: 204 });
  },
});
