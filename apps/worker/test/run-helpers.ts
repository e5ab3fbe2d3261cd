// Shared by the integration suites: start a run of a one-off workflow, wait for a run to end, and give a team
// the fixture MCP server.
import { isTerminalRunStatus, type RunStatus } from '@manifold/core';
import { createPrivateServer, type Database } from '@manifold/db';
import type { ActingContext, RunView, Services } from '@manifold/services';
import { FIXTURE_SERVER_METADATA, fixtureStdioCommand, waitFor } from '@manifold/testing';

/** Resolves with the run once it has succeeded, failed or been cancelled (the benchmark polls more often). */
export function waitForRunEnd(
  services: Services,
  ctx: ActingContext,
  runId: string,
  timeoutMs = 120_000,
  intervalMs = 100,
): Promise<RunView> {
  return waitFor(
    async () => {
      const run = await services.runs.get(ctx, runId);
      return isTerminalRunStatus(run.status as RunStatus) ? run : undefined;
    },
    { timeoutMs, intervalMs, description: `run ${runId} to finish` },
  );
}

let adHocWorkflows = 0;
/** Saves `definition` as a workflow under a fresh slug (`<prefix>-<n>`) and starts a run of it; resolves with the run id. */
export async function startAdHocRun(
  services: Services,
  ctx: ActingContext,
  definition: unknown,
  input: Record<string, unknown> = {},
  prefix = 'wf',
): Promise<string> {
  const slug = `${prefix}-${++adHocWorkflows}`;
  await services.workflows.create(ctx, { slug, name: slug, definition });
  return (await services.runs.trigger(ctx, { workflow: slug, input }, null)).runId;
}

/** A team-private catalog entry for the fixture server over stdio (optionally with FIXTURE_* settings as arguments). */
export function addFixtureServer(db: Database, ctx: ActingContext, options: { slug?: string; settings?: Record<string, string> } = {}) {
  return createPrivateServer(db, ctx.teamId, {
    slug: options.slug ?? 'fixture',
    name: 'Fixture',
    description: 'Test server that fails on request',
    version: '1.0.0',
    transport: 'stdio',
    command: fixtureStdioCommand(options.settings),
    url: null,
    repository: null,
    tags: [],
    metadata: FIXTURE_SERVER_METADATA,
  });
}
