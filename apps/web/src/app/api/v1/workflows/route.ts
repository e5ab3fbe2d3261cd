import { createWorkflowBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';
import { presentWorkflow } from './present';

export const GET = apiRoute({
  scope: 'workflows:read',
  handler: async ({ acting, services }) => ({ body: { items: (await services.workflows.list(acting)).map((w) => presentWorkflow(w)) } }),
});

/** Creates a workflow (version 1) after validating its definition against the team's servers. */
export const POST = apiRoute({
  scope: 'workflows:write',
  body: createWorkflowBody,
  handler: async ({ acting, body, services }) => {
    const workflow = await services.workflows.create(acting, body);
    return { status: 201, body: presentWorkflow(workflow), headers: { location: `/api/v1/workflows/${workflow.slug}` } };
  },
});
