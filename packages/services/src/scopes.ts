// The scopes an API key can hold: the permission table's actions that make sense for automation. Team
// membership and deletion stay with people in the dashboard.
import type { Action } from '@manifold/core';

export const API_SCOPES = [
  'runs:read',
  'runs:write',
  'workflows:read',
  'workflows:write',
  'servers:read',
  'servers:write',
  'tools:approve',
  'secrets:read',
  'secrets:write',
  'api_keys:read',
  'api_keys:write',
  'audit:read',
  'team:update',
] as const satisfies readonly Action[];
export type ApiScope = (typeof API_SCOPES)[number];
