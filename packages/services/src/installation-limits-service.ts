// Call limits of an installation (rate, concurrency, timeout cap, circuit breaker) and the breaker's state
// and history. Kept apart from the installation service so config patching can grow beside it.
import { callsResumeAt, decideLimitsChange, installationLimitsSchema, notFound, parseOrThrow, readInstallationLimits } from '@manifold/core';
import { getCallGateStatus, setInstallationLimits } from '@manifold/db';
import { authorize } from './authorize';
import type { ActingContext, ServiceDeps } from './context';
import { requireInstallation } from './lookups';

export function createInstallationLimitsService({ db }: ServiceDeps) {
  return {
    /**
     * Replaces the installation's limits (`PATCH /api/v1/installations/:name` with `{ "limits": … }`). Setting
     * limits also frees a circuit stuck open or half-open: its next call goes through as a probe.
     */
    async set(ctx: ActingContext, name: string, rawLimits: unknown) {
      authorize(ctx, 'servers:write');
      const limits = parseOrThrow(installationLimitsSchema, rawLimits, 'limits');
      const row = await setInstallationLimits(db, ctx.teamId, ctx.actor, name, limits, decideLimitsChange);
      if (!row) throw notFound(`Server installation "${name}"`);
      return readInstallationLimits(row.limits);
    },

    /** Limits, breaker state, calls and probes in flight and the latest breaker transitions (newest first). */
    async status(ctx: ActingContext, name: string) {
      authorize(ctx, 'servers:read');
      const installation = await requireInstallation(db, ctx.teamId, name);
      const { gate, events, inFlight, probesInFlight } = await getCallGateStatus(db, ctx.teamId, installation.id);
      const limits = readInstallationLimits(installation.limits);
      const state = gate?.state ?? 'closed';
      const openedAt = gate?.openedAt ?? null;
      const resumesAt = callsResumeAt({ state, openedAt: openedAt?.getTime() ?? null }, limits.breaker);
      return {
        limits,
        state,
        openedAt: state === 'closed' ? null : openedAt,
        /** While open: when the cool-down ends and a probe is let through. */
        resumesAt: resumesAt === null ? null : new Date(resumesAt),
        consecutiveFailures: gate?.consecutiveFailures ?? 0,
        windowCalls: gate?.windowCalls ?? 0,
        windowFailures: gate?.windowFailures ?? 0,
        inFlight,
        probesInFlight,
        history: events.map((e) => ({ from: e.fromState, to: e.toState, reason: e.reason, at: e.createdAt })),
      };
    },
  };
}

export type InstallationLimitsService = ReturnType<typeof createInstallationLimitsService>;
