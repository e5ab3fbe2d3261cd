import type { Role } from '@manifold/core';
import type { Actor, Database } from '@manifold/db';
import type { KeyWrapper } from '@manifold/secrets';
import type { TemporalGateway } from './temporal-gateway';

/**
 * Who is acting, for which team: every service call takes one. A user acts with their membership `role`; an
 * API key with its `scopes`. Services refuse (403) what the role or scopes do not allow.
 */
export interface ActingContext {
  teamId: string;
  actor: Actor;
  ip?: string | null;
  role?: Role | null;
  scopes?: readonly string[];
}

export interface ServiceDeps {
  db: Database;
  temporal: TemporalGateway;
  /** Wraps team data keys (the master keyring, or a KMS); without one, secret operations answer 503. */
  keyWrapper?: KeyWrapper | undefined;
}
