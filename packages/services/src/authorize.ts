// The server-side half of the permission table: every service method calls `authorize` before touching data.
import { AppError, can, type Action } from '@manifold/core';
import type { ActingContext } from './context';

/** True when the acting user (by role) or API key (by scope) may perform `action` in its team. */
export function isAllowed(ctx: ActingContext, action: Action): boolean {
  switch (ctx.actor.type) {
    case 'user':
      return can(ctx.role, action);
    case 'apiKey':
      return ctx.scopes?.includes(action) ?? false;
    case 'system':
      return true;
  }
}

/** Throws 403 unless `ctx` may perform `action`. */
export function authorize(ctx: ActingContext, action: Action): void {
  if (isAllowed(ctx, action)) return;
  throw new AppError(
    'forbidden',
    ctx.actor.type === 'apiKey'
      ? `This API key lacks the "${action}" scope.`
      : `Your role (${ctx.role ?? 'none'}) does not allow "${action}" in this team. Ask a team admin.`,
  );
}
