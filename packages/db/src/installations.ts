// A team's installed servers. Workflows refer to an installation by its name.
import { AppError, type CreateInstallationBody } from '@manifold/core';
import { isUniqueViolation, type Database } from './client';
import { recordAudit, type Actor } from './audit';
import { toJson } from './json';
import { inTeam } from './tenant';

export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

const withServer = { server: true } as const;

export async function createInstallation(
  db: Database,
  teamId: string,
  actor: Actor,
  input: {
    serverId: string;
    name: string;
    config: CreateInstallationBody['config'];
    limits?: CreateInstallationBody['limits'];
    /** Set when the installer may approve tools: its first listing is then approved in its name. */
    firstListingApprovedBy?: string | null;
  },
) {
  try {
    return await inTeam(db, teamId, async (tx) => {
      // A team entry's installation runs its current revision (public entries are not versioned per team).
      const server = await tx.mcpServer.findUnique({ where: { id: input.serverId }, select: { teamId: true, revision: true } });
      const row = await tx.serverInstallation.create({
        data: {
          teamId,
          serverId: input.serverId,
          name: input.name,
          config: toJson(input.config),
          limits: toJson(input.limits ?? {}),
          serverRevision: server?.teamId ? server.revision : null,
          firstListingApprovedBy: input.firstListingApprovedBy ?? null,
        },
        include: withServer,
      });
      await recordAudit(tx, teamId, {
        actor,
        action: 'server.installed',
        targetType: 'installation',
        targetId: row.id,
        metadata: { name: input.name, server: row.server.slug },
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', `This team already has a server installation named "${input.name}".`, {
        fieldErrors: [{ path: 'name', message: 'Already in use in this team.' }],
      });
    throw error;
  }
}

export async function getInstallationByName(db: Database, teamId: string, name: string) {
  return inTeam(db, teamId, (tx) => tx.serverInstallation.findUnique({ where: { teamId_name: { teamId, name } }, include: withServer }));
}

export async function getInstallationById(db: Database, teamId: string, id: string) {
  return inTeam(db, teamId, (tx) => tx.serverInstallation.findFirst({ where: { id, teamId }, include: withServer }));
}

export async function listInstallations(db: Database, teamId: string) {
  return inTeam(db, teamId, (tx) => tx.serverInstallation.findMany({ where: { teamId }, include: withServer, orderBy: { name: 'asc' } }));
}

/** Replaces the installation's config (a PATCH merged by the service). */
export async function updateInstallationConfig(
  db: Database,
  teamId: string,
  actor: Actor,
  id: string,
  config: CreateInstallationBody['config'],
) {
  return inTeam(db, teamId, async (tx) => {
    const row = await tx.serverInstallation.update({ where: { id, teamId }, data: { config: toJson(config) }, include: withServer });
    await recordAudit(tx, teamId, {
      actor,
      action: 'server.config_updated',
      targetType: 'installation',
      targetId: id,
      // Keys only: values may hold plain settings a team considers sensitive.
      metadata: {
        name: row.name,
        args: Object.keys(config.args ?? {}),
        env: Object.keys(config.env ?? {}),
        headers: Object.keys(config.headers ?? {}),
      },
    });
    return row;
  });
}

/**
 * Removes an installation; its call gate, leases, OAuth token and tool history go with it (cascade). Run
 * records keep the installation's name, so past runs stay readable. Workers drop their cached copy through
 * the change trigger.
 */
export async function deleteInstallation(
  db: Database,
  teamId: string,
  actor: Actor,
  installation: { id: string; name: string },
  details: { forced: boolean; usedBy: string[] },
): Promise<void> {
  await inTeam(db, teamId, async (tx) => {
    await tx.serverInstallation.deleteMany({ where: { id: installation.id, teamId } });
    await recordAudit(tx, teamId, {
      actor,
      action: 'server.uninstalled',
      targetType: 'installation',
      targetId: installation.id,
      metadata: { name: installation.name, ...details },
    });
  });
}

export type InstallationWithServer = NonNullable<Awaited<ReturnType<typeof getInstallationById>>>;
