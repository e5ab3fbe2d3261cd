// Adding catalog servers to a team and listing their tools live.
import { AppError, createInstallationBody, notFound, parseOrThrow } from '@manifold/core';
import { createInstallation, findServerForTeam, getInstallationByName, listCatalog, listInstallations } from '@manifold/db';
import type { ActingContext, ServiceDeps } from './context';

export function createInstallationService({ db, temporal }: ServiceDeps) {
  return {
    listCatalog: (ctx: ActingContext) => listCatalog(db, ctx.teamId),
    list: (ctx: ActingContext) => listInstallations(db, ctx.teamId),

    async get(ctx: ActingContext, name: string) {
      const installation = await getInstallationByName(db, ctx.teamId, name);
      if (!installation) throw notFound(`Server installation "${name}"`);
      return installation;
    },

    async install(ctx: ActingContext, raw: unknown) {
      const body = parseOrThrow(createInstallationBody, raw);
      const server = await findServerForTeam(db, ctx.teamId, body.server);
      if (!server)
        throw new AppError('validation_failed', `No catalog server "${body.server}".`, {
          fieldErrors: [{ path: 'server', message: 'Unknown catalog slug. GET /api/v1/servers lists them.' }],
        });
      if (server.transport === 'http' && !body.config.url && !server.url)
        throw new AppError('validation_failed', 'This remote server needs a URL.', {
          fieldErrors: [{ path: 'config.url', message: 'Required for this server.' }],
        });
      if (server.transport === 'stdio' && body.config.url)
        throw new AppError('validation_failed', 'A stdio server takes no URL.', {
          fieldErrors: [{ path: 'config.url', message: 'Only remote (http) servers have a URL.' }],
        });
      return createInstallation(db, ctx.teamId, ctx.actor, {
        serverId: server.id,
        name: body.name,
        config: body.config,
        limits: body.limits,
      });
    },

    /** "Test connection": a fresh initialize + tools/list on the worker, with latency; nothing is stored. */
    async testConnection(ctx: ActingContext, name: string) {
      const installation = await getInstallationByName(db, ctx.teamId, name);
      if (!installation) throw notFound(`Server installation "${name}"`);
      return temporal.testConnection({ teamId: ctx.teamId, installationId: installation.id });
    },

    /** Runs tools/list on the worker (where servers live), stores the snapshot and returns it. */
    async listTools(ctx: ActingContext, name: string) {
      const installation = await getInstallationByName(db, ctx.teamId, name);
      if (!installation) throw notFound(`Server installation "${name}"`);
      return temporal.listTools({ teamId: ctx.teamId, installationId: installation.id });
    },
  };
}
