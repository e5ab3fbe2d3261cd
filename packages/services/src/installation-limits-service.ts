// Call limits of an installation (rate, concurrency, timeout cap, circuit breaker) and the breaker's state
// and history. Kept apart from the installation service so config patching can grow beside it.
import { installationLimitsSchema, notFound, parseOrThrow, readInstallationLimits } from '@manifold/core';
import { getCallGateStatus, setInstallationLimits } from '@manifold/db';
import { authorize } from './authorize';
import type { ActingContext, ServiceDeps } from './context';
import { requireInstallation } from './lookups';

export function createInstallationLimitsService({ db }: ServiceDeps) {
  return {
    /** Replaces the installation's limits (`PATCH /api/v1/installations/:name` with `{ "limits": … }`). */
    async set(ctx: ActingContext, name: string, rawLimits: unknown) {
      authorize(ctx, 'servers:write');
      const limits = parseOrThrow(installationLimitsSchema, rawLimits, 'limits');
      const row = await setInstallationLimits(db, ctx.teamId, ctx.actor, name, limits);
      if (!row) throw notFound(`Server installation "${name}"`);
      return readInstallationLimits(row.limits);
    },

    /** Limits, breaker state, calls in flight and the latest breaker transitions. */
    async status(ctx: ActingContext, name: string) {
      authorize(ctx, 'servers:read');
      const installation = await requireInstallation(db, ctx.teamId, name);
      const { gate, events, inFlight } = await getCallGateStatus(db, ctx.teamId, installation.id);
      return {
        limits: readInstallationLimits(installation.limits),
        state: gate?.state ?? 'closed',
        openedAt: gate?.openedAt ?? null,
        consecutiveFailures: gate?.consecutiveFailures ?? 0,
        windowCalls: gate?.windowCalls ?? 0,
        windowFailures: gate?.windowFailures ?? 0,
        inFlight,
        history: events.map((e) => ({ from: e.fromState, to: e.toState, reason: e.reason, at: e.createdAt })),
      };
    },
  };
}

export type InstallationLimitsService = ReturnType<typeof createInstallationLimitsService>;
