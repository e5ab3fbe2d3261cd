import { listAuditQuery } from '@manifold/services';
import { apiRoute } from '@/server/api/route';

/** The team's audit log, newest first; follow `nextCursor` for older entries. */
export const GET = apiRoute({
  scope: 'audit:read',
  query: listAuditQuery,
  handler: async ({ acting, query, services }) => ({ body: await services.audit.list(acting, query) }),
});
