import { z } from 'zod';
import { apiRoute } from '@/server/api/route';
import { presentInstallation } from '../present';

export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: presentInstallation(await services.installations.get(acting, params.name)) }),
});
