// Tool definition pinning for a team's installations: the snapshot history with diffs, and approval of
// changed definitions (team owners and admins; API keys with the tools:approve scope).
import { parseOrThrow, type ToolChange } from '@manifold/core';
import { approveToolSnapshot, listToolSnapshots, type ToolSnapshotRow } from '@manifold/db';
import { z } from 'zod';
import { authorize } from './authorize';
import type { ActingContext, ServiceDeps } from './context';
import { requireInstallation } from './lookups';

export const approveToolsBody = z.object({ snapshotId: z.string().min(1).optional() }).strict();

export interface ToolSnapshotView {
  id: string;
  status: 'approved' | 'pending' | 'superseded';
  toolCount: number;
  tools: Array<{ name: string; hash: string; description?: string }>;
  changes: ToolChange[];
  approvedBy: string | null;
  approvedAt: string | null;
  createdAt: string;
}

const present = (row: ToolSnapshotRow): ToolSnapshotView => {
  const tools = row.tools as unknown as Array<{ name: string; hash: string; description?: string }>;
  return {
    id: row.id,
    status: row.status,
    toolCount: tools.length,
    tools: tools.map((t) => ({ name: t.name, hash: t.hash, ...(t.description ? { description: t.description } : {}) })),
    changes: row.changes as unknown as ToolChange[],
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
};

export function createToolPinningService({ db }: ServiceDeps) {
  return {
    /** Newest first; the first pending one (if any) is what holds workflows. */
    async snapshots(ctx: ActingContext, name: string) {
      authorize(ctx, 'servers:read');
      const installation = await requireInstallation(db, ctx.teamId, name);
      const rows = await listToolSnapshots(db, ctx.teamId, installation.id);
      const views = rows.map(present);
      return { installation: name, pending: views.find((v) => v.status === 'pending') ?? null, snapshots: views };
    },

    async approve(ctx: ActingContext, name: string, raw: unknown) {
      authorize(ctx, 'tools:approve');
      const body = parseOrThrow(approveToolsBody, raw ?? {});
      const installation = await requireInstallation(db, ctx.teamId, name);
      return present(await approveToolSnapshot(db, ctx.teamId, ctx.actor, installation.id, body.snapshotId));
    },
  };
}
