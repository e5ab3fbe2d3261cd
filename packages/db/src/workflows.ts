// Workflows and their immutable versions.
import { AppError, type WorkflowDefinition } from '@manifold/core';
import { isUniqueViolation, type Database } from './client';
import { recordAudit, type Actor } from './audit';
import { toJson } from './json';
import { inTeam } from './tenant';

export async function createWorkflow(
  db: Database,
  teamId: string,
  actor: Actor,
  input: { slug: string; name: string; description?: string; definition: WorkflowDefinition },
) {
  try {
    return await inTeam(db, teamId, async (tx) => {
      const workflow = await tx.workflow.create({
        data: {
          teamId,
          slug: input.slug,
          name: input.name,
          description: input.description ?? '',
          currentVersion: 1,
          versions: {
            create: { teamId, version: 1, definition: toJson(input.definition), createdById: actor.type === 'system' ? null : actor.id },
          },
        },
      });
      await recordAudit(tx, teamId, {
        actor,
        action: 'workflow.created',
        targetType: 'workflow',
        targetId: workflow.id,
        metadata: { slug: input.slug },
      });
      return workflow;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', `A workflow with slug "${input.slug}" already exists in this team.`, {
        fieldErrors: [{ path: 'slug', message: 'Already in use in this team.' }],
      });
    throw error;
  }
}

/** The workflow with its current version's definition; archived workflows are not found. */
export async function getWorkflowBySlug(db: Database, teamId: string, slug: string) {
  return inTeam(db, teamId, async (tx) => {
    const workflow = await tx.workflow.findUnique({ where: { teamId_slug: { teamId, slug } } });
    if (!workflow || workflow.archivedAt) return null;
    const version = await tx.workflowVersion.findUniqueOrThrow({
      where: { workflowId_version: { workflowId: workflow.id, version: workflow.currentVersion } },
    });
    return { ...workflow, version };
  });
}

export async function listWorkflows(db: Database, teamId: string) {
  return inTeam(db, teamId, (tx) =>
    tx.workflow.findMany({
      where: { teamId, archivedAt: null },
      orderBy: { updatedAt: 'desc' },
      include: { _count: { select: { runs: true } } },
    }),
  );
}

/** The current definition of every live workflow of the team (what would run if triggered now). */
export async function listCurrentDefinitions(db: Database, teamId: string): Promise<Array<{ slug: string; definition: unknown }>> {
  return inTeam(db, teamId, async (tx) => {
    const workflows = await tx.workflow.findMany({
      where: { teamId, archivedAt: null },
      select: { id: true, slug: true, currentVersion: true },
    });
    if (workflows.length === 0) return [];
    const versions = await tx.workflowVersion.findMany({
      where: { OR: workflows.map((w) => ({ workflowId: w.id, version: w.currentVersion })) },
      select: { workflowId: true, definition: true },
    });
    const definitionOf = new Map(versions.map((v) => [v.workflowId, v.definition]));
    return workflows.map((w) => ({ slug: w.slug, definition: definitionOf.get(w.id) }));
  });
}
