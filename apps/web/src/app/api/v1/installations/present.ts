import { z } from 'zod';
import type { InstallationWithServer } from '@manifold/db';
import type { Services } from '@manifold/services';

const circuitState = z.enum(['closed', 'open', 'half_open']);

/** The circuit breaker of one installation as GET/PATCH /api/v1/installations/:name shows it. */
export const breakerStatusSchema = z
  .object({
    enabled: z.boolean().describe('Whether the installation has breaker settings (`limits.breaker`).'),
    state: circuitState,
    consecutiveFailures: z.number().int().describe('Server failures in a row while closed.'),
    windowCalls: z.number().int().describe('Calls counted in the current failure-ratio window.'),
    windowFailures: z.number().int(),
    openedAt: z.iso.datetime().nullable().describe('When the circuit last opened (null while closed).'),
    resumesAt: z.iso.datetime().nullable().describe('While open: when the cool-down ends and a probe call is let through.'),
    probesInFlight: z.number().int().describe('Half-open probe calls holding a live slot (slots expire with the call’s lease).'),
    callsInFlight: z.number().int().describe('Calls holding a live lease (concurrency cap, probes included).'),
    history: z
      .array(z.object({ from: circuitState, to: circuitState, reason: z.string(), at: z.iso.datetime() }))
      .describe('The latest transitions, newest first (the newest 100 are kept).'),
  })
  .describe('The circuit breaker’s shared state.');

export const installationResponseSchema = z.object({
  name: z.string(),
  server: z.string(),
  transport: z.string(),
  config: z.unknown(),
  limits: z.unknown(),
  toolsSnapshotAt: z.iso.datetime().nullable(),
  toolCount: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  breaker: breakerStatusSchema.optional().describe('On the single-installation routes only.'),
});

type BreakerStatus = Awaited<ReturnType<Services['installationLimits']['status']>>;

const presentBreaker = (s: BreakerStatus): z.infer<typeof breakerStatusSchema> => ({
  enabled: s.limits.breaker !== undefined,
  state: s.state,
  consecutiveFailures: s.consecutiveFailures,
  windowCalls: s.windowCalls,
  windowFailures: s.windowFailures,
  openedAt: s.openedAt?.toISOString() ?? null,
  resumesAt: s.resumesAt?.toISOString() ?? null,
  probesInFlight: s.probesInFlight,
  callsInFlight: s.inFlight,
  history: s.history.map((h) => ({ from: h.from, to: h.to, reason: h.reason, at: h.at.toISOString() })),
});

export const presentInstallation = (i: InstallationWithServer, breaker?: BreakerStatus): z.infer<typeof installationResponseSchema> => ({
  name: i.name,
  server: i.server.slug,
  transport: i.server.transport,
  config: i.config,
  limits: i.limits,
  toolsSnapshotAt: i.toolsSnapshotAt?.toISOString() ?? null,
  toolCount: Array.isArray(i.toolsSnapshot) ? i.toolsSnapshot.length : null,
  createdAt: i.createdAt.toISOString(),
  ...(breaker ? { breaker: presentBreaker(breaker) } : {}),
});
