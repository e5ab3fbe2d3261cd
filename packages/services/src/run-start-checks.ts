// Checks a run must pass before it starts, beyond input validation: no step may use a tool whose definition
// changed since a team admin approved it (tool pinning).
import { AppError, toolsUsedBy, type FieldError } from '@manifold/core';
import { heldToolsByInstallation, type Database } from '@manifold/db';

/** Throws a 409 problem naming every held tool (and the step using it) when the definition uses one. */
export async function assertRunMayStart(db: Database, teamId: string, definition: unknown): Promise<void> {
  const uses = toolsUsedBy(definition);
  const held = await heldToolsByInstallation(db, teamId, [...new Set(uses.map((u) => u.server))]);
  if (held.size === 0) return;
  const blocked: FieldError[] = [];
  for (const use of uses) {
    const change = held.get(use.server)?.changes.find((c) => c.tool === use.tool);
    if (change)
      blocked.push({
        path: `definition.${use.path}`,
        message: `Tool "${use.tool}" on server "${use.server}" was ${change.kind}${change.fields.length ? ` (${change.fields.join(', ')})` : ''} since its definition was approved.`,
      });
  }
  if (blocked.length === 0) return;
  const names = [
    ...new Set(uses.filter((u) => blocked.some((b) => b.path === `definition.${u.path}`)).map((u) => `"${u.tool}" on "${u.server}"`)),
  ];
  throw new AppError(
    'conflict',
    `This run is held: the definition of tool ${names.join(', ')} changed since a team admin approved it. ` +
      `Review the change and approve it (POST /api/v1/installations/<server>/tools/approve, or the server page in the dashboard), then start the run again.`,
    { fieldErrors: blocked },
  );
}
