// The worker's installation cache against real changes: with a time to live far longer than the test, a run
// started right after an installation is reconfigured must still use the new settings — the change feed
// (Postgres LISTEN/NOTIFY fed by a trigger) drops the cached row in every worker at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystemDatabase, startInstallationChangeFeed, type InstallationChangeFeed } from '@manifold/db';
import { sha256Hex, waitFor } from '@manifold/testing';
import type { ActingContext } from '@manifold/services';
import { addFixtureServer, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

async function modeFingerprint(): Promise<unknown> {
  const { runId } = await platform.services.runs.trigger(team, { workflow: 'read-mode', input: {} }, null);
  const run = await waitForRunEnd(platform.services, team, runId, 60_000);
  expect(run.status).toBe('succeeded');
  return run.output;
}

beforeAll(async () => {
  platform = await startPlatform({ installationCacheMs: 10 * 60_000 });
  team = await platform.newTeam('changes');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture', config: { env: { MODE: 'one' } } });
  await platform.services.workflows.create(team, {
    slug: 'read-mode',
    name: 'Read mode',
    definition: {
      steps: [{ id: 'mode', type: 'tool', server: 'fixture', tool: 'env', args: { name: 'MODE' } }],
      output: '{{ $steps.mode.structuredContent.sha256 }}',
    },
  });
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

describe('installation changes reach the worker cache', () => {
  it('a run right after a config change uses the new config, though the cached row has not expired', async () => {
    expect(await modeFingerprint()).toBe(sha256Hex('one'));
    await platform.services.installations.update(team, 'fixture', { config: { env: { MODE: 'two' } } });
    expect(await modeFingerprint()).toBe(sha256Hex('two'));
  });

  it('the feed names the changed installation, and reconnects after its connection is killed', async () => {
    const feed: InstallationChangeFeed = startInstallationChangeFeed(platform.databaseUrl);
    const heard: string[] = [];
    let resets = 0;
    feed.subscribe({ onChange: (teamId, name) => heard.push(`${teamId}/${name}`), onReset: () => (resets += 1) });
    try {
      await feed.ready;
      await platform.services.installations.update(team, 'fixture', { config: { env: { MODE: 'three' } } });
      await waitFor(async () => heard.includes(`${team.teamId}/fixture`), {
        timeoutMs: 10_000,
        intervalMs: 20,
        description: 'the change notification',
      });

      // Kill every listening backend (as the owner: the app role may not signal them): the feed reports a
      // reset and listens again.
      const resetsBefore = resets;
      const owner = createSystemDatabase(platform.databaseUrl);
      try {
        await owner.$queryRawUnsafe(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN manifold_installation_changed%' AND pid <> pg_backend_pid()`,
        );
      } finally {
        await owner.$disconnect();
      }
      await waitFor(async () => resets > resetsBefore, {
        timeoutMs: 10_000,
        intervalMs: 20,
        description: 'a reset after the lost connection',
      });
      heard.length = 0;
      await waitFor(
        async () => {
          await platform.services.installations.update(team, 'fixture', { config: { env: { MODE: 'four' } } });
          return heard.includes(`${team.teamId}/fixture`) || undefined;
        },
        { timeoutMs: 30_000, intervalMs: 300, description: 'a notification after reconnecting' },
      );
    } finally {
      await feed.close();
    }
  });
});
