import { z } from 'zod';
import { deleteInstallationQuery, parseOrThrow, patchInstallationBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';
import { presentInstallation } from '../present';

export const GET = apiRoute({
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  handler: async ({ acting, params, services }) => ({ body: presentInstallation(await services.installations.get(acting, params.name)) }),
});

/**
 * Changes an installation: `config` fields (url, args, env, headers — env and headers bind secrets as
 * "{{ secrets.NAME }}") replace the stored ones; `limits` ({ timeoutMs?, ratePerSecond?, maxConcurrency?,
 * breaker? }) replaces its call limits.
 */
export const PATCH = apiRoute({
  scope: 'servers:write',
  params: z.object({ name: z.string() }),
  body: patchInstallationBody,
  handler: async ({ acting, params, body, services }) => {
    const patch = parseOrThrow(patchInstallationBody, body);
    if (patch.config) await services.installations.update(acting, params.name, { config: patch.config });
    if (patch.limits) await services.installationLimits.set(acting, params.name, patch.limits);
    return { body: presentInstallation(await services.installations.get(acting, params.name)) };
  },
});

/** Removes the installation; refused (409) while a workflow's current version calls it, unless `?force=true`. */
export const DELETE = apiRoute({
  scope: 'servers:write',
  params: z.object({ name: z.string() }),
  query: deleteInstallationQuery,
  handler: async ({ acting, params, query, services }) => {
    await services.installations.uninstall(acting, params.name, query);
    return new Response(null, { status: 204 });
  },
});
