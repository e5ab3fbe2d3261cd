import { z } from 'zod';
import { deleteInstallationQuery, parseOrThrow, patchInstallationBody } from '@manifold/core';
import { apiRoute } from '@/server/api/route';
import type { ActingContext, Services } from '@manifold/services';
import { installationResponseSchema, presentInstallation } from '../present';

/** The installation with its circuit breaker's state, counters, probes in flight and recent transitions. */
const present = async (services: Services, acting: ActingContext, name: string) => {
  const [installation, breaker] = await Promise.all([services.installations.get(acting, name), services.installationLimits.status(acting, name)]);
  return presentInstallation(installation, breaker);
};

export const GET = apiRoute({
  summary: 'An installation, with its circuit breaker’s state and recent transitions.',
  scope: 'servers:read',
  params: z.object({ name: z.string() }),
  response: installationResponseSchema,
  handler: async ({ acting, params, services }) => ({ body: await present(services, acting, params.name) }),
});

/**
 * Changes an installation: `config` fields (url, args, env, headers — env and headers bind secrets as
 * "{{ secrets.NAME }}") replace the stored ones; `limits` ({ timeoutMs?, ratePerSecond?, maxConcurrency?,
 * breaker? }) replaces its call limits and frees a circuit stuck open or half-open (its next call is a probe).
 */
export const PATCH = apiRoute({
  scope: 'servers:write',
  params: z.object({ name: z.string() }),
  body: patchInstallationBody,
  response: installationResponseSchema,
  handler: async ({ acting, params, body, services }) => {
    const patch = parseOrThrow(patchInstallationBody, body);
    if (patch.config) await services.installations.update(acting, params.name, { config: patch.config });
    if (patch.limits) await services.installationLimits.set(acting, params.name, patch.limits);
    return { body: await present(services, acting, params.name) };
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
