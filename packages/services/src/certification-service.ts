// Certification for a team: trigger an evaluation of a catalog server (optionally through one of the team's
// installations), read the history and reports, and set the team's minimum tier for workflow servers.
// A team's evaluation is its own report (scope "team"): it never sets a public server's tier nor alerts
// another team; only the system's evaluations of the canonical configuration do (the recertify sweep).
import { z } from 'zod';
import { AppError, notFound, parseOrThrow, TIERS, type Check, type MeasuredSandbox, type Scores, type Tier } from '@manifold/core';
import {
  getCertification,
  getInstallationByName,
  getTeamServerPolicy,
  listCertifications,
  listTierAlerts,
  setTeamServerPolicy,
} from '@manifold/db';
import { authorize } from './authorize';
import type { ActingContext, ServiceDeps } from './context';
import { requireCatalogServer } from './lookups';

export const certifyBody = z
  .object({
    installation: z.string().min(1).optional().describe("Reach the server through this installation's settings and secrets."),
    probeCalls: z.number().int().min(5).max(500).optional(),
  })
  .strict();

export const serverPolicyBody = z.object({ minTier: z.enum(TIERS) }).strict();

export interface CertificationView {
  id: string;
  server: string;
  serverVersion: string;
  tier: Tier;
  /** system: the catalog's canonical configuration, shared by every team; team: this team's own report. */
  scope: 'system' | 'team';
  scores: Scores;
  evaluatorVersion: string;
  trigger: string;
  startedAt: string;
  finishedAt: string;
}

export interface CertificationReport extends CertificationView {
  checks: Check[];
  reasons: string[];
  latency: { initializeMs: number[]; probeMs: number[]; probeMethod: string };
  /** stdio: the sandbox the server was measured in (null for remote servers and older reports). */
  sandbox: MeasuredSandbox | null;
}

type CertificationRow = Awaited<ReturnType<typeof listCertifications>>[number];

const view = (row: CertificationRow, slug: string): CertificationView => ({
  id: row.id,
  server: slug,
  serverVersion: row.serverVersion,
  tier: row.tier,
  scope: row.scope,
  scores: row.scores as unknown as Scores,
  evaluatorVersion: row.evaluatorVersion,
  trigger: row.trigger,
  startedAt: row.startedAt.toISOString(),
  finishedAt: row.finishedAt.toISOString(),
});

export function createCertificationService({ db, temporal }: ServiceDeps) {
  return {
    /** Evaluates the server now (on the worker) and returns the new report. */
    async certify(ctx: ActingContext, slug: string, raw: unknown) {
      authorize(ctx, 'servers:write');
      const body = parseOrThrow(certifyBody, raw ?? {});
      const server = await requireCatalogServer(db, ctx.teamId, slug);
      let installationId: string | undefined;
      if (body.installation) {
        const installation = await getInstallationByName(db, ctx.teamId, body.installation);
        if (!installation || installation.serverId !== server.id)
          throw new AppError('validation_failed', `No installation "${body.installation}" of "${slug}" in this team.`, {
            fieldErrors: [{ path: 'installation', message: 'Name one of this team’s installations of this server.' }],
          });
        installationId = installation.id;
      }
      // Without an installation a public server is measured as the catalog describes it, nothing of this team's
      // in it: that is a system evaluation (at the system's probe count), the tier every team sees.
      const isCanonical = !installationId && server.teamId === null;
      const result = await temporal.certify({
        serverId: server.id,
        trigger: 'manual',
        teamId: ctx.teamId,
        scope: isCanonical ? 'system' : 'team',
        ...(installationId ? { installationId } : {}),
        ...(body.probeCalls && !isCanonical ? { probeCalls: body.probeCalls } : {}),
      });
      return { ...result, report: await this.report(ctx, result.certificationId) };
    },

    async history(ctx: ActingContext, slug: string) {
      authorize(ctx, 'servers:read');
      const server = await requireCatalogServer(db, ctx.teamId, slug);
      return { server: slug, items: (await listCertifications(db, ctx.teamId, server.id)).map((row) => view(row, slug)) };
    },

    async report(ctx: ActingContext, id: string): Promise<CertificationReport> {
      authorize(ctx, 'servers:read');
      const row = await getCertification(db, ctx.teamId, id);
      // A private server's reports belong to its team; an id of another team answers 404.
      // The server is read inside the team (RLS): another team's private server is not found at all.
      const server = row?.server as (typeof row & object)['server'] | null | undefined;
      if (!row || !server || (server.teamId !== null && server.teamId !== ctx.teamId) || (row.teamId !== null && row.teamId !== ctx.teamId))
        throw notFound(`Certification "${id}"`);
      const evidence = row.evidence as unknown as {
        checks: Check[];
        reasons: string[];
        measurements: { initializeMs: number[]; probe: { durationsMs: number[]; method: string }; sandbox?: MeasuredSandbox | null };
      };
      return {
        ...view(row, row.server.slug),
        checks: evidence.checks,
        reasons: evidence.reasons,
        latency: {
          initializeMs: evidence.measurements.initializeMs,
          probeMs: evidence.measurements.probe.durationsMs,
          probeMethod: evidence.measurements.probe.method,
        },
        sandbox: evidence.measurements.sandbox ?? null,
      };
    },

    policy: (ctx: ActingContext) => {
      authorize(ctx, 'servers:read');
      return getTeamServerPolicy(db, ctx.teamId);
    },

    async setPolicy(ctx: ActingContext, raw: unknown) {
      authorize(ctx, 'team:update');
      const body = parseOrThrow(serverPolicyBody, raw);
      return setTeamServerPolicy(db, ctx.teamId, ctx.actor, body.minTier);
    },

    alerts: (ctx: ActingContext) => {
      authorize(ctx, 'servers:read');
      return listTierAlerts(db, ctx.teamId);
    },
  };
}
