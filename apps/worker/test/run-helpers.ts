// Shared by the integration suites: wait for a run to end, and give a team the fixture MCP server.
import { isTerminalRunStatus, type RunStatus } from '@manifold/core';
import { createPrivateServer, type Database } from '@manifold/db';
import type { ActingContext, RunView, Services } from '@manifold/services';
import { fixtureStdioCommand, waitFor } from '@manifold/testing';

/** Resolves with the run once it has succeeded, failed or been cancelled. */
export function waitForRunEnd(services: Services, ctx: ActingContext, runId: string, timeoutMs = 120_000): Promise<RunView> {
  return waitFor(
    async () => {
      const run = await services.runs.get(ctx, runId);
      return isTerminalRunStatus(run.status as RunStatus) ? run : undefined;
    },
    { timeoutMs, intervalMs: 100, description: `run ${runId} to finish` },
  );
}

/** A team-private catalog entry for the fixture server over stdio (optionally with a command prefix such as `env X=1`). */
export function addFixtureServer(db: Database, ctx: ActingContext, options: { slug?: string; commandPrefix?: string[] } = {}) {
  return createPrivateServer(db, ctx.teamId, {
    slug: options.slug ?? 'fixture',
    name: 'Fixture',
    description: 'Test server that fails on request',
    version: '1.0.0',
    transport: 'stdio',
    command: [...(options.commandPrefix ?? []), ...fixtureStdioCommand()],
    url: null,
    repository: null,
    tags: [],
    metadata: {},
  });
}
