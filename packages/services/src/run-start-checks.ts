// Checks a run must pass before it starts, beyond input validation: no step may use a tool whose definition
// changed since a team admin approved it (tool pinning), nor a server below the team's minimum tier.
import { AppError, tierRank, toolsUsedBy, type FieldError, type ToolUse } from '@manifold/core';
import { currentTiersOfInstallations, getTeamServerPolicy, heldToolsByInstallation, type Database } from '@manifold/db';

export async function assertRunMayStart(db: Database, teamId: string, definition: unknown): Promise<void> {
  const uses = toolsUsedBy(definition);
  // Independent reads: made together, the start waits for one round of queries instead of two.
  const [approved, tier] = await Promise.allSettled([assertToolsApproved(db, teamId, uses), assertMinimumTier(db, teamId, uses)]);
  if (approved.status === 'rejected') throw approved.reason;
  if (tier.status === 'rejected') throw tier.reason;
}

/** Throws a 409 problem naming each server below the team's minimum tier (and the steps using it). */
async function assertMinimumTier(db: Database, teamId: string, uses: ToolUse[]): Promise<void> {
  const { minTier } = await getTeamServerPolicy(db, teamId);
  if (minTier === 'unverified') return;
  const tiers = await currentTiersOfInstallations(db, teamId, [...new Set(uses.map((u) => u.server))]);
  const below = uses.filter((u) => {
    const current = tiers.get(u.server);
    return current !== undefined && tierRank(current.tier) < tierRank(minTier);
  });
  if (below.length === 0) return;
  const servers = [...new Set(below.map((u) => `"${u.server}" (${tiers.get(u.server)!.server}: ${tiers.get(u.server)!.tier})`))];
  throw new AppError(
    'conflict',
    `This run uses ${servers.join(', ')}, below this team's minimum tier "${minTier}". Certify the server again or change the policy.`,
    {
      fieldErrors: below.map((u) => ({
        path: `definition.${u.path}`,
        message: `Server "${u.server}" is ${tiers.get(u.server)!.tier}; the team requires ${minTier}.`,
      })),
    },
  );
}

/** Throws a 409 problem naming every held tool (and the step using it) when the definition uses one. */
async function assertToolsApproved(db: Database, teamId: string, uses: ToolUse[]): Promise<void> {
  const held = await heldToolsByInstallation(db, teamId, [...new Set(uses.map((u) => u.server))]);
  if (held.size === 0) return;
  const blocked: FieldError[] = [];
  const names = new Set<string>();
  for (const use of uses) {
    const change = held.get(use.server)?.changes.find((c) => c.tool === use.tool);
    if (!change) continue;
    blocked.push({
      path: `definition.${use.path}`,
      message: `Tool "${use.tool}" on server "${use.server}" was ${change.kind}${change.fields.length ? ` (${change.fields.join(', ')})` : ''} since its definition was approved.`,
    });
    names.add(`"${use.tool}" on "${use.server}"`);
  }
  if (blocked.length === 0) return;
  throw new AppError(
    'conflict',
    `This run is held: the definition of tool ${[...names].join(', ')} changed since a team admin approved it. ` +
      `Review the change and approve it (POST /api/v1/installations/<server>/tools/approve, or the server page in the dashboard), then start the run again.`,
    { fieldErrors: blocked },
  );
}
