import { describe, expect, it } from 'vitest';
import { ACTIONS, can, outranksOrEquals, PERMISSIONS, ROLES, type Action, type Role } from './permissions';

// The expected matrix, written out in full so a change to the table is a deliberate change here too.
const EXPECTED: Record<Role, Action[]> = {
  viewer: ['runs:read', 'workflows:read', 'servers:read', 'members:read'],
  member: [
    'runs:read',
    'runs:write',
    'workflows:read',
    'workflows:write',
    'servers:read',
    'servers:write',
    'secrets:read',
    'secrets:write',
    'members:read',
  ],
  admin: [
    'runs:read',
    'runs:write',
    'workflows:read',
    'workflows:write',
    'servers:read',
    'servers:write',
    'servers:manage',
    'tools:approve',
    'secrets:read',
    'secrets:write',
    'api_keys:read',
    'api_keys:write',
    'audit:read',
    'members:read',
    'members:write',
    'team:update',
  ],
  owner: [...ACTIONS],
};

describe('permission table', () => {
  for (const role of ROLES)
    for (const action of ACTIONS)
      it(`${role} ${EXPECTED[role].includes(action) ? 'may' : 'may not'} ${action}`, () => {
        expect(can(role, action)).toBe(EXPECTED[role].includes(action));
      });

  it('each role can do everything the role below it can', () => {
    const order: Role[] = ['viewer', 'member', 'admin', 'owner'];
    for (let i = 1; i < order.length; i++) for (const action of PERMISSIONS[order[i - 1]!]) expect(can(order[i]!, action)).toBe(true);
  });

  it('unknown or missing roles may do nothing', () => {
    expect(can(null, 'runs:read')).toBe(false);
    expect(can(undefined, 'runs:read')).toBe(false);
    expect(can('superuser' as Role, 'runs:read')).toBe(false);
  });

  it('ranks roles for granting', () => {
    expect(outranksOrEquals('admin', 'member')).toBe(true);
    expect(outranksOrEquals('admin', 'owner')).toBe(false);
    expect(outranksOrEquals('owner', 'owner')).toBe(true);
  });
});
