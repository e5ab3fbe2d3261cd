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

/** Who saved a version: a member (by name or email) or an API key (by name); null for the system. */
export type VersionAuthor = { type: 'user' | 'apiKey'; label: string } | null;

/** Every version, newest first, with who saved it and how many runs it started. */
export async function listWorkflowVersions(db: Database, teamId: string, slug: string) {
  return inTeam(db, teamId, async (tx) => {
    const workflow = await tx.workflow.findUnique({ where: { teamId_slug: { teamId, slug } } });
    if (!workflow || workflow.archivedAt) return null;
    const rows = await tx.workflowVersion.findMany({
      where: { workflowId: workflow.id, teamId },
      orderBy: { version: 'desc' },
      include: { _count: { select: { runs: true } } },
    });
    // createdById holds a user id or, for saves through the API, the key's id.
    const ids = [...new Set(rows.flatMap((v) => (v.createdById ? [v.createdById] : [])))];
    const users = await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } });
    const keys = await tx.apiKey.findMany({ where: { id: { in: ids }, teamId }, select: { id: true, name: true } });
    const authors = new Map<string, VersionAuthor>([
      ...users.map((u) => [u.id, { type: 'user', label: u.name || u.email }] as const),
      ...keys.map((k) => [k.id, { type: 'apiKey', label: k.name }] as const),
    ]);
    const versions = rows.map(({ _count, ...version }) => ({
      ...version,
      runCount: _count.runs,
      createdBy: version.createdById ? (authors.get(version.createdById) ?? null) : null,
    }));
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
