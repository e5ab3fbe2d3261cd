import { z } from 'zod';
import { parseOrThrow, setInstallationLimitsBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';
import { presentInstallation } from '../present';

export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: presentInstallation(await services.installations.get(acting, params.name)) }),
});

/** Changes an installation. `{ "limits": { timeoutMs?, ratePerSecond?, maxConcurrency?, breaker? } }` replaces its call limits. */
export const PATCH = apiRoute({
  scope: 'servers:write',
  params: z.object({ name: z.string() }),
  body: setInstallationLimitsBody,
  handler: async ({ acting, params, body, services }) => {
    const patch = parseOrThrow(setInstallationLimitsBody, body);
    await services.installationLimits.set(acting, params.name, patch.limits);
    return { body: presentInstallation(await services.installations.get(acting, params.name)) };
  },
});
