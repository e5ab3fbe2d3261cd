import type { Actor, Database } from '@manifold/db';
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
}
