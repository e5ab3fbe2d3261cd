// The scopes an API key can hold: every action of the permission table except those that stay with people
// in the dashboard (team membership and deletion). Derived, so a new action becomes a scope by default.
import { ACTIONS, type Action } from '@manifold/core';

const PEOPLE_ONLY = ['members:read', 'members:write', 'team:delete'] as const satisfies readonly Action[];
export type ApiScope = Exclude<Action, (typeof PEOPLE_ONLY)[number]>;

const isApiScope = (action: Action): action is ApiScope => !(PEOPLE_ONLY as readonly Action[]).includes(action);

export const API_SCOPES = ACTIONS.filter(isApiScope) as [ApiScope, ...ApiScope[]];
