// The one permission table: which team role may do which action. Pages ask `can()` to hide controls; services
// call it (through `authorize`) to refuse with 403. API key scopes use the same action names.

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Every action on team objects. The `*:read` / `*:write` names double as API key scopes. */
export const ACTIONS = [
  'runs:read',
  'runs:write',
  'workflows:read',
  'workflows:write',
  'servers:read',
  'servers:write',
  /** Create, change or delete a team-private catalog entry: it decides which program the shared worker runs. */
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
  'team:delete',
] as const;
export type Action = (typeof ACTIONS)[number];

// Secret metadata (names, versions, fingerprints — never values) is for those who can change secrets.
const VIEWER: readonly Action[] = ['runs:read', 'workflows:read', 'servers:read', 'members:read'];
const MEMBER: readonly Action[] = [...VIEWER, 'runs:write', 'workflows:write', 'servers:write', 'secrets:read', 'secrets:write'];
// A team entry's command or URL is what the worker executes or connects to for the team: owners and admins only.
const ADMIN: readonly Action[] = [
  ...MEMBER,
  'servers:manage',
  'tools:approve',
  'api_keys:read',
  'api_keys:write',
  'audit:read',
  'members:write',
  'team:update',
];
const OWNER: readonly Action[] = [...ADMIN, 'team:delete'];

export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  owner: new Set(OWNER),
  admin: new Set(ADMIN),
  member: new Set(MEMBER),
  viewer: new Set(VIEWER),
};

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** True when `role` may perform `action`. Unknown roles may do nothing. */
export const can = (role: Role | null | undefined, action: Action): boolean => (isRole(role) ? PERMISSIONS[role].has(action) : false);

/** Roles ranked for "may an admin grant this?": nobody grants a role above their own. */
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
export const outranksOrEquals = (actor: Role, target: Role): boolean => RANK[actor] >= RANK[target];
