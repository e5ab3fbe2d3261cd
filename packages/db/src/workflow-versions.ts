// New immutable versions of a workflow, its version list, and archiving.
import type { WorkflowDefinition } from '@manifold/core';
import type { Database } from './client';
import { recordAudit, type Actor } from './audit';
import { toJson } from './json';
import { inTeam } from './tenant';

/** Saves `definition` as the next version and makes it current; null when there is no such (live) workflow. */
export async function saveWorkflowVersion(
  db: Database,
  teamId: string,
  actor: Actor,
  slug: string,
  input: { name?: string | undefined; description?: string | undefined; definition: WorkflowDefinition },
) {
  return inTeam(db, teamId, async (tx) => {
    const workflow = await tx.workflow.findUnique({ where: { teamId_slug: { teamId, slug } } });
    if (!workflow || workflow.archivedAt) return null;
    // The row lock serialises concurrent saves: each gets its own version number.
    await tx.$executeRaw`SELECT 1 FROM "Workflow" WHERE "id" = ${workflow.id} FOR UPDATE`;
    const latest = await tx.workflowVersion.aggregate({ where: { workflowId: workflow.id }, _max: { version: true } });
    const version = (latest._max.version ?? 0) + 1;
    const created = await tx.workflowVersion.create({
      data: {
        teamId,
        workflowId: workflow.id,
        version,
        definition: toJson(input.definition),
        createdById: actor.type === 'system' ? null : actor.id,
      },
    });
    const updated = await tx.workflow.update({
      where: { id: workflow.id },
      data: {
        currentVersion: version,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      },
    });
    await recordAudit(tx, teamId, {
      actor,
      action: 'workflow.versioned',
      targetType: 'workflow',
      targetId: workflow.id,
      metadata: { slug, version },
    });
    return { ...updated, version: created };
  });
}

export async function listWorkflowVersions(db: Database, teamId: string, slug: string) {
  return inTeam(db, teamId, async (tx) => {
    const workflow = await tx.workflow.findUnique({ where: { teamId_slug: { teamId, slug } } });
    if (!workflow || workflow.archivedAt) return null;
    const versions = await tx.workflowVersion.findMany({ where: { workflowId: workflow.id, teamId }, orderBy: { version: 'desc' } });
    return { workflow, versions };
  });
}

/** Archives the workflow: it disappears from lists and cannot be run; its runs and versions stay. */
export async function archiveWorkflow(db: Database, teamId: string, actor: Actor, slug: string): Promise<boolean> {
  return inTeam(db, teamId, async (tx) => {
    const { count } = await tx.workflow.updateMany({ where: { teamId, slug, archivedAt: null }, data: { archivedAt: new Date() } });
    if (count === 0) return false;
    const workflow = await tx.workflow.findUniqueOrThrow({ where: { teamId_slug: { teamId, slug } }, select: { id: true } });
    await recordAudit(tx, teamId, {
      actor,
      action: 'workflow.archived',
      targetType: 'workflow',
      targetId: workflow.id,
      metadata: { slug },
    });
    return true;
  });
}
