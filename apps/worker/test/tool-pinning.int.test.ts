// Tool definition pinning end to end: a live listing whose definitions differ from the approved set is
// recorded with its diff, runs using a changed tool are refused until a team admin approves, others run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@manifold/core';
import { getMembership, inTeam } from '@manifold/db';
import type { ActingContext } from '@manifold/services';
import { waitFor, rejectionOf } from '@manifold/testing';
import { addFixtureServer, waitForRunEnd } from './run-helpers';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
let team: ActingContext;

const finished = (runId: string) => waitForRunEnd(platform.services, team, runId, 60_000);

const refusal = (promise: Promise<unknown>) => rejectionOf(promise, AppError);

/** Points the installation at a server variant whose `echo` description is poisoned (a new process: new pool key). */
async function setPoisoned(isPoisoned: boolean) {
  const installation = await platform.services.installations.get(team, 'fixture');
  await inTeam(platform.db, team.teamId, (tx) =>
    tx.serverInstallation.update({
      where: { id: installation.id },
      data: { config: isPoisoned ? { env: { FIXTURE_POISON_DESCRIPTION: '1' } } : {} },
    }),
  );
}

beforeAll(async () => {
  platform = await startPlatform();
  team = await platform.newTeam('pinning');
  await addFixtureServer(platform.db, team);
  await platform.services.installations.install(team, { server: 'fixture', name: 'fixture' });
  await platform.services.workflows.create(team, {
    slug: 'uses-echo',
    name: 'uses echo',
    definition: { steps: [{ id: 'say', type: 'tool', server: 'fixture', tool: 'echo', args: { message: 'hi' } }] },
  });
  await platform.services.workflows.create(team, {
    slug: 'uses-env',
    name: 'uses env',
    definition: { steps: [{ id: 'look', type: 'tool', server: 'fixture', tool: 'env', args: { name: 'HOME' } }] },
  });
});

afterAll(async () => {
  await platform?.stop();
});

describe('tool definition pinning', () => {
  it('approves the first listing and records one snapshot with a hash per tool', async () => {
    const first = await platform.services.installations.listTools(team, 'fixture');
    expect(first.pinning?.status).toBe('approved');
    const again = await platform.services.installations.listTools(team, 'fixture');
    expect(again.pinning).toEqual({ status: 'approved', changes: [], snapshotId: first.pinning!.snapshotId });
    const { snapshots, pending } = await platform.services.toolPinning.snapshots(team, 'fixture');
    expect(pending).toBeNull();
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.tools.find((t) => t.name === 'echo')?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records a changed description as a pending diff and holds runs that use the changed tool', async () => {
    await setPoisoned(true);
    const listing = await platform.services.installations.listTools(team, 'fixture');
    expect(listing.pinning?.status).toBe('pending');
    expect(listing.pinning?.changes).toEqual([
      expect.objectContaining({
        tool: 'echo',
        kind: 'changed',
        fields: ['description'],
        before: expect.objectContaining({ description: expect.not.stringContaining('IMPORTANT') }),
        after: expect.objectContaining({ description: expect.stringContaining('<IMPORTANT>') }),
      }),
    ]);

    const error = await refusal(platform.services.runs.trigger(team, { workflow: 'uses-echo', input: {} }, null));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/held: the definition of tool "echo" on "fixture" changed/);
    expect(error.options.fieldErrors).toEqual([
      { path: 'definition.steps[0].tool', message: expect.stringMatching(/"echo".*changed \(description\)/) },
    ]);

    // The change re-certifies the server (a child workflow that outlives the listing).
    const certified = await waitFor(
      async () => {
        const { items } = await platform.services.certification.history(team, 'fixture');
        return items.find((c) => c.trigger === 'tools_changed');
      },
      { timeoutMs: 90_000, intervalMs: 200, description: 'a tools_changed certification of the fixture' },
    );
    // This entry declares no license, repository or release date (conformance 67 < 70): community; the poisoned
    // description is named in the evidence.
    expect(certified.tier).toBe('community');
    const report = await platform.services.certification.report(team, certified.id);
    expect(report.checks.find((c) => c.id === 'no_prompt_injection')).toMatchObject({
      passed: false,
      detail: expect.stringContaining('"echo"'),
    });

    // A workflow using only unchanged tools of the same server still runs.
    const { runId } = await platform.services.runs.trigger(team, { workflow: 'uses-env', input: {} }, null);
    expect((await finished(runId)).status).toBe('succeeded');
  });

  it('lets only an owner or admin approve; after approval the held workflow runs again', async () => {
    const member: ActingContext = { teamId: team.teamId, actor: { type: 'user', id: 'not-a-member' } };
    expect((await refusal(platform.services.toolPinning.approve(member, 'fixture', {}))).code).toBe('forbidden');
    expect((await getMembership(platform.db, team.teamId, team.actor.id!))?.role).toBe('owner');

    const stale = await refusal(platform.services.toolPinning.approve(team, 'fixture', { snapshotId: 'some-older-snapshot' }));
    expect(stale.code).toBe('conflict');

    const { pending } = await platform.services.toolPinning.snapshots(team, 'fixture');
    const approved = await platform.services.toolPinning.approve(team, 'fixture', { snapshotId: pending!.id });
    expect(approved.status).toBe('approved');
    expect(approved.approvedBy).toBe(`user:${team.actor.id}`);

    const { runId } = await platform.services.runs.trigger(team, { workflow: 'uses-echo', input: {} }, null);
    expect((await finished(runId)).status).toBe('succeeded');
    expect((await refusal(platform.services.toolPinning.approve(team, 'fixture', {}))).message).toMatch(/No tool changes are waiting/);
  });

  it('keeps the history: a change back is pending again, and returning to the approved set clears it', async () => {
    await setPoisoned(false);
    const reverted = await platform.services.installations.listTools(team, 'fixture');
    expect(reverted.pinning?.status).toBe('pending'); // the poisoned set is the approved one now
    await setPoisoned(true);
    const back = await platform.services.installations.listTools(team, 'fixture');
    expect(back.pinning).toMatchObject({ status: 'approved', changes: [] });
    const { snapshots, pending } = await platform.services.toolPinning.snapshots(team, 'fixture');
    expect(pending).toBeNull();
    expect(snapshots.map((s) => s.status)).toEqual(['superseded', 'approved', 'approved']);
  });

  it('answers 404 for another team’s installation', async () => {
    const other = await platform.newTeam('other');
    expect((await refusal(platform.services.toolPinning.snapshots(other, 'fixture'))).code).toBe('not_found');
    expect((await refusal(platform.services.toolPinning.approve(other, 'fixture', {}))).code).toBe('not_found');
  });
});
