// Every role × every action of the permission table, through the real services: allowed actions get past
// authorization (they may still fail validation or find nothing), forbidden ones answer 403. And a team
// always keeps an owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, can, isAppError, ROLES, type Action, type Role } from '@manifold/core';
import { addMember, createUserWithTeam, inTeam } from '@manifold/db';
import type { ActingContext } from '@manifold/services';
import { startApiHarness, type ApiHarness } from './api-harness';

let h: ApiHarness;
const members = {} as Record<Role, ActingContext>;

beforeAll(async () => {
  h = await startApiHarness();
  for (const role of ROLES) {
    const { userId } = await createUserWithTeam(h.db, { email: `${role}@example.test`, passwordHash: 'unused' });
    await inTeam(h.db, h.a.teamId, (tx) => addMember(tx, h.a.teamId, userId, role));
    members[role] = { teamId: h.a.teamId, actor: { type: 'user', id: userId }, role };
  }
});
afterAll(async () => {
  await h?.stop();
});

/** One service call per action, chosen so an allowed call stops harmlessly (400/404) or succeeds. */
const ATTEMPTS: Record<Action, (ctx: ActingContext) => Promise<unknown>> = {
  'runs:read': (ctx) => h.services.runs.list(ctx, {}),
  'runs:write': (ctx) => h.services.runs.trigger(ctx, { workflow: 'no-such-workflow', input: {} }, null),
  'workflows:read': (ctx) => h.services.workflows.list(ctx),
  'workflows:write': (ctx) => h.services.workflows.create(ctx, { slug: '', name: '', definition: {} }),
  'servers:read': (ctx) => h.services.installations.list(ctx),
  'servers:write': (ctx) => h.services.installations.install(ctx, {}),
  'servers:manage': (ctx) => h.services.catalog.remove(ctx, 'no-such-server', {}),
  'tools:approve': (ctx) => h.services.toolPinning.approve(ctx, 'no-such-installation', {}),
  'secrets:read': (ctx) => h.services.secrets.list(ctx),
  'secrets:write': (ctx) => h.services.secrets.create(ctx, {}),
  'api_keys:read': (ctx) => h.services.apiKeys.list(ctx),
  'api_keys:write': (ctx) => h.services.apiKeys.create(ctx, {}),
  'audit:read': (ctx) => h.services.audit.list(ctx, {}),
  'members:read': (ctx) => h.services.teams.members(ctx),
  'members:write': (ctx) => h.services.teams.changeRole(ctx, 'no-such-user', 'viewer'),
  'team:update': (ctx) => h.services.teams.rename(ctx, ''),
  'team:delete': (ctx) => h.services.teams.delete(ctx, 'not the team name'),
};

async function outcome(attempt: Promise<unknown>): Promise<'forbidden' | 'allowed'> {
  try {
    await attempt;
    return 'allowed';
  } catch (error) {
    if (isAppError(error) && error.code === 'forbidden') return 'forbidden';
    if (isAppError(error)) return 'allowed'; // got past authorization: validation, not found, …
    throw error;
  }
}

describe('role matrix', () => {
  for (const role of ROLES)
    for (const action of ACTIONS)
      it(`${role} × ${action} → ${can(role, action) ? 'allowed' : '403'}`, async () => {
        expect(await outcome(ATTEMPTS[action](members[role]))).toBe(can(role, action) ? 'allowed' : 'forbidden');
      });
});

describe('OAuth of an installation (GET/DELETE /api/v1/installations/:name/oauth, Connect)', () => {
  // Every role may read the status (servers:read); only servers:write may connect or disconnect.
  for (const role of ROLES)
    it(`${role}: status ${can(role, 'servers:read') ? 'allowed' : '403'}, connect/disconnect ${can(role, 'servers:write') ? 'allowed' : '403'}`, async () => {
      const ctx = members[role];
      expect(await outcome(h.services.oauth.status(ctx, h.a.installation))).toBe(can(role, 'servers:read') ? 'allowed' : 'forbidden');
      const write = can(role, 'servers:write') ? 'allowed' : 'forbidden';
      expect(await outcome(h.services.oauth.disconnect(ctx, h.a.installation))).toBe(write);
      expect(await outcome(h.services.oauth.startAuthorization(ctx, h.a.installation, 'http://127.0.0.1/cb'))).toBe(write);
      expect(await outcome(h.services.oauth.completeAuthorization(ctx, h.a.installation, new URLSearchParams()))).toBe(write);
    });
});

describe('owners', () => {
  it('the last owner can neither be demoted nor leave; with a second owner both work', async () => {
    const { userId, teamId } = await createUserWithTeam(h.db, { email: 'solo@example.test', passwordHash: 'unused', teamName: 'Solo' });
    const owner: ActingContext = { teamId, actor: { type: 'user', id: userId }, role: 'owner' };
    await expect(h.services.teams.changeRole(owner, userId, 'admin')).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.services.teams.leave(owner)).rejects.toMatchObject({ code: 'conflict' });

    const second = await createUserWithTeam(h.db, { email: 'second@example.test', passwordHash: 'unused' });
    await inTeam(h.db, teamId, (tx) => addMember(tx, teamId, second.userId, 'member'));
    await h.services.teams.changeRole(owner, second.userId, 'owner');
    await h.services.teams.leave(owner);
    const remaining = await h.services.teams.members({ teamId, actor: { type: 'user', id: second.userId }, role: 'owner' });
    expect(remaining.map((m) => [m.userId, m.role])).toEqual([[second.userId, 'owner']]);
    // Both changes are in the audit log.
    const audit = await h.services.audit.list({ teamId, actor: { type: 'user', id: second.userId }, role: 'owner' }, { action: 'member.' });
    expect(audit.items.map((e) => [e.action, e.target.id])).toEqual([
      ['member.left', userId],
      ['member.role_changed', second.userId],
    ]);
  });

  it('an admin cannot make anyone an owner, nor change or remove an owner', async () => {
    const target = members.member.actor.id!;
    await expect(h.services.teams.changeRole(members.admin, target, 'owner')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(h.services.teams.changeRole(members.admin, members.owner.actor.id!, 'viewer')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(h.services.teams.remove(members.admin, members.owner.actor.id!)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
