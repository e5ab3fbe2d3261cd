import { serverPolicyBody } from '@manifold/services';
import { apiRoute } from '@/server/api/route';

/** The team's server policy: the minimum tier of servers its workflows may use. */
export const GET = apiRoute({
  scope: 'servers:read',
  handler: async ({ acting, services }) => ({ body: await services.certification.policy(acting) }),
});

export const PUT = apiRoute({
  scope: 'team:update',
  body: serverPolicyBody,
  handler: async ({ acting, body, services }) => ({ body: await services.certification.setPolicy(acting, body) }),
});
