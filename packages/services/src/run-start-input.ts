// What starting a run's workflow takes, rebuilt from its row alone: the request, a retry and the run sweep all start
// runs this way, so a run always starts its own pinned version with its own input.
import { notFound, workflowDefinitionSchema, type WorkflowDefinition } from '@manifold/core';
import { LRUCache } from 'lru-cache';
import { getRun, type Database } from '@manifold/db';
import type { InterpretRunInput } from '@manifold/workflows';

/** Versions are immutable, so a version's parsed definition can be kept: parsing it was zod work on every start. */
const definitions = new LRUCache<string, WorkflowDefinition>({ max: 500 });
export function parsedDefinition(versionId: string, raw: unknown): WorkflowDefinition {
  let definition = definitions.get(versionId);
  if (!definition) {
    definition = workflowDefinitionSchema.parse(raw);
    definitions.set(versionId, definition);
  }
  return definition;
}

export async function startInputFor(db: Database, teamId: string, runId: string): Promise<InterpretRunInput> {
  const run = await getRun(db, teamId, runId);
  if (!run) throw notFound(`Run "${runId}"`);
  const definition = parsedDefinition(run.workflowVersionId, run.workflowVersion.definition);
  const start: InterpretRunInput = { teamId, runId, definition, input: run.input as Record<string, unknown> };
  if (!run.retryOfRunId) return start;
  // A retry continues its run from the failed step: the top-level steps that ended well there are not run again.
  const previous = await getRun(db, teamId, run.retryOfRunId);
  if (!previous) return start;
  const topLevel = new Set(definition.steps.map((s) => s.id));
  const completed = Object.fromEntries(
    previous.steps
      .filter((s) => topLevel.has(s.key) && (s.status === 'succeeded' || s.status === 'degraded' || s.status === 'skipped'))
      .map((s) => [s.key, s.output]),
  );
  return { ...start, completed };
}
