// The services behind the dashboard's workflow editor and version list, against a real database: the live
// check reports what saving would (with paths), only for the caller's team and role; versions say who saved
// them and how many runs each started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@manifold/core';
import { addMember, createUserWithTeam, inTeam } from '@manifold/db';
import type { ActingContext } from '@manifold/services';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
let alpha: ActingContext;
let bravo: ActingContext;
let viewer: ActingContext;

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (isAppError(error) ? error.code : String(error)),
  );

beforeAll(async () => {
  h = await startApiHarness();
  alpha = { teamId: h.a.teamId, actor: { type: 'user', id: h.a.userId }, role: 'owner' };
  bravo = { teamId: h.b.teamId, actor: { type: 'user', id: h.b.userId }, role: 'owner' };
  const { userId } = await createUserWithTeam(h.db, { email: 'viewer@example.test', passwordHash: 'unused' });
  await inTeam(h.db, h.a.teamId, (tx) => addMember(tx, h.a.teamId, userId, 'viewer'));
  viewer = { teamId: h.a.teamId, actor: { type: 'user', id: userId }, role: 'viewer' };
});
afterAll(async () => {
  await h?.stop();
});

describe('workflows.check', () => {
  it('is empty for a definition that would save', async () => {
    const definition = { steps: [{ id: 'say', type: 'tool', server: h.a.installation, tool: 'echo', args: { message: 'hi' } }] };
    expect(await h.services.workflows.check(alpha, definition)).toEqual([]);
  });

  it('reports unknown servers, bad references and expressions at their paths', async () => {
    const errors = await h.services.workflows.check(alpha, {
      steps: [
        { id: 'a', type: 'tool', server: 'ghost', tool: 'echo', args: {} },
        { id: 'b', type: 'tool', server: h.a.installation, tool: 'echo', args: { message: '{{ $steps.later.text }}', n: '{{ 1 + }}' } },
      ],
    });
    expect(errors.map((e) => e.path).sort()).toEqual([
      'definition.steps[0].server',
      'definition.steps[1].args.message',
      'definition.steps[1].args.n',
    ]);
  });

  it("checks against the caller's team only: another team's installation is unknown", async () => {
    const errors = await h.services.workflows.check(bravo, {
      steps: [{ id: 'a', type: 'tool', server: h.a.installation, tool: 'echo', args: {} }],
    });
    expect(errors).toEqual([{ path: 'definition.steps[0].server', message: expect.stringContaining(h.a.installation) }]);
  });

  it('needs workflows:write', async () => {
    expect(await codeOf(h.services.workflows.check(viewer, { steps: [] }))).toBe('forbidden');
  });
});

describe('workflows.versions', () => {
  it('lists versions newest first with their author and run count', async () => {
    const definition = { steps: [{ id: 'say', type: 'tool', server: h.a.installation, tool: 'echo', args: { message: 'v2' } }] };
    await h.services.workflows.update(alpha, h.a.workflow, { definition });
    const { workflow, versions } = await h.services.workflows.versions(alpha, h.a.workflow);
    expect(workflow.currentVersion).toBe(2);
    expect(versions.map((v) => [v.version, v.runCount, v.createdBy])).toEqual([
      [2, 0, { type: 'user', label: 'alpha@example.test' }],
      [1, 1, { type: 'user', label: 'alpha@example.test' }],
    ]);
  });

  it("is not found for another team's workflow", async () => {
    expect(await codeOf(h.services.workflows.versions(bravo, h.a.workflow))).toBe('not_found');
    const valid = { steps: [{ id: 'say', type: 'tool', server: h.b.installation, tool: 'echo', args: {} }] };
    expect(await codeOf(h.services.workflows.update(bravo, h.a.workflow, { definition: valid }))).toBe('not_found');
  });
});
