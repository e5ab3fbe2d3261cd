import { z } from 'zod';
import { apiRoute } from '@/server/api/route';

const listToolsQuery = z
  .object({
    live: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: tools/list on the worker (needs servers:write; starts the server). false: the approved snapshot.'),
  })
  .strict();

/**
 * The installation's tools. With servers:write (or ?live=true) they are listed live on the worker and the
 * listing is recorded for pinning; with only servers:read the stored approved snapshot is returned and no
 * server process is started.
 */
export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  query: listToolsQuery,
  handler: async ({ acting, params, query, services }) => {
    const live = query.live === undefined ? undefined : query.live === 'true';
    const { tools, latencyMs, source, pinning } = await services.installations.listTools(acting, params.name, { live });
    return { body: { installation: params.name, source, latencyMs, tools, ...(pinning ? { pinning } : {}) } };
  },
});
