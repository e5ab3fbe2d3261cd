import type { Actor, Database } from '@manifold/db';
import type { KeyWrapper } from '@manifold/secrets';
import type { TemporalGateway } from './temporal-gateway';

/** Who is acting, for which team: every service call takes one. */
export interface ActingContext {
  teamId: string;
  actor: Actor;
  ip?: string | null;
}

export interface ServiceDeps {
  db: Database;
  temporal: TemporalGateway;
  /** Wraps team data keys (the master keyring, or a KMS); without one, secret operations answer 503. */
  keyWrapper?: KeyWrapper | undefined;
}
