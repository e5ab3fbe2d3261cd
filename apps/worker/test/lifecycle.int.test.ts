// Run lifecycle against the real parts: cancelling a run mid-call, retrying a failed run from its failed
// step as a new linked run, and immutable workflow versions that runs pin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError } from '@manifold/core';
import type { ActingContext } from '@manifold/services';
import { waitFor } from '@manifold/testing';
import { addFixtureServer, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

const finished = (runId: string) => waitForRunEnd(platform.services, team, runId, 120_000);

const trigger = async (workflow: string, input: Record<string, unknown> = {}) =>
  (await platform.services.runs.trigger(team, { workflow, input }, null)).runId;

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('lifecycle');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

describe('run lifecycle', () => {
  it('cancels a run during a call: the call is cancelled and the run and step end cancelled', async () => {
    await platform.services.workflows.create(team, {
      slug: 'long',
      name: 'long',
      definition: { steps: [{ id: 'nap', type: 'tool', server: 'fixture', tool: 'slow', args: { ms: 120_000 } }] },
    });
    const runId = await trigger('long');
    await waitFor(async () => (await platform.services.runs.get(team, runId)).steps[0]?.attempts[0]?.status === 'running' || undefined, {
      timeoutMs: 60_000,
      intervalMs: 100,
      description: 'the call to be in flight',
    });
    expect(await platform.services.runs.cancel(team, runId)).toEqual({ runId });
    const run = await finished(runId);
    expect(run.status).toBe('cancelled');
    expect(run.steps[0]).toMatchObject({ key: 'nap', status: 'cancelled' });
    expect(run.steps[0]!.attempts).toEqual([expect.objectContaining({ status: 'failed', errorClass: 'cancelled' })]);

    const again = await platform.services.runs.cancel(team, runId).catch((e: unknown) => e);
    expect((again as AppError).code).toBe('conflict');
    const other = await platform.newTeam('other');
    expect(((await platform.services.runs.cancel(other, runId).catch((e: unknown) => e)) as AppError).code).toBe('not_found');
  });

  it('retries a failed run from the failed step as a new linked run, reusing earlier outputs', async () => {
    await platform.services.workflows.create(team, {
      slug: 'resume',
      name: 'resume',
      definition: {
        steps: [
          { id: 'first', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'one' } },
          {
            id: 'shaky',
            type: 'tool',
            server: 'fixture',
            tool: 'flaky',
            args: { key: 'lifecycle-resume', failTimes: 1 },
            retry: { maxAttempts: 1 },
          },
          {
            id: 'last',
            type: 'tool',
            server: 'fixture',
            tool: 'echo',
            args: { message: '{{ $steps.first.text }} and {{ $steps.shaky.text }}' },
          },
        ],
        output: '{{ $steps.last.text }}',
      },
    });
    const failed = await finished(await trigger('resume'));
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ stepId: 'shaky' });

    const { runId, retryOf } = await platform.services.runs.retry(team, failed.id);
    expect(retryOf).toBe(failed.id);
    const retried = await finished(runId);
    expect(retried.error).toBeNull();
    expect(retried.status).toBe('succeeded');
    expect(retried.retryOfRunId).toBe(failed.id);
    expect(retried.output).toMatch(/^one and /);
    expect(retried.steps.map((s) => [s.key, s.status, s.attempts.length])).toEqual([
      ['first', 'skipped', 0],
      ['shaky', 'succeeded', 1],
      ['last', 'succeeded', 1],
    ]);
    const notFailed = await platform.services.runs.retry(team, runId).catch((e: unknown) => e);
    expect((notFailed as AppError).code).toBe('conflict');
  });

  it('saves immutable versions; a run keeps the version it started with; archiving hides the workflow', async () => {
    const v1 = { steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'slow', args: { ms: 1500 } }], output: '{{ "v1" }}' };
    const v2 = { steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'v2' } }], output: '{{ "v2" }}' };
    await platform.services.workflows.create(team, { slug: 'versioned', name: 'versioned', definition: v1 });
    const pinned = await trigger('versioned');
    const saved = await platform.services.workflows.update(team, 'versioned', { definition: v2, name: 'Versioned' });
    expect(saved.currentVersion).toBe(2);
    expect((await finished(pinned)).output).toBe('v1');
    expect((await finished(await trigger('versioned'))).output).toBe('v2');

    const { versions } = await platform.services.workflows.versions(team, 'versioned');
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await platform.services.workflows.get(team, 'versioned')).version.version).toBe(2);

    const invalid = await platform.services.workflows.update(team, 'versioned', { definition: { steps: [] } }).catch((e: unknown) => e);
    expect((invalid as AppError).options.fieldErrors).toEqual([
      { path: 'definition.steps', message: expect.stringMatching(/at least one step/) },
    ]);

    await platform.services.workflows.archive(team, 'versioned');
    expect(((await platform.services.workflows.get(team, 'versioned').catch((e: unknown) => e)) as AppError).code).toBe('not_found');
    expect(((await trigger('versioned').catch((e: unknown) => e)) as AppError).code).toBe('not_found');
    // Its runs stay readable.
    expect((await platform.services.runs.get(team, pinned)).status).toBe('succeeded');
  });

  it('filters the run list by workflow, status, since, and pages with a cursor', async () => {
    const failedOnly = await platform.services.runs.list(team, { workflow: 'resume', status: 'failed' });
    expect(failedOnly.items.map((r) => r.status)).toEqual(['failed']);
    const page1 = await platform.services.runs.list(team, { limit: 2 });
    expect(page1.items).toHaveLength(2);
    const page2 = await platform.services.runs.list(team, { limit: 2, cursor: page1.nextCursor });
    expect(page2.items.map((r) => r.id)).not.toContain(page1.items[0]!.id);
    const future = await platform.services.runs.list(team, { since: new Date(Date.now() + 60_000).toISOString() });
    expect(future.items).toEqual([]);
  });
});
