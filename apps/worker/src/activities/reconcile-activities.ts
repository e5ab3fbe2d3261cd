// The run sweep's activity: reconciliation needs a Temporal client (describe, start) as well as the database.
import type { Database, SystemDatabase } from '@manifold/db';
import { createRunReconciler, type TemporalGateway } from '@manifold/services';
import type { ReconcileActivities } from '@manifold/workflows';
import type { Logger } from 'pino';

export function createReconcileActivities(deps: { db: Database; system: SystemDatabase; temporal: TemporalGateway; logger: Logger }): ReconcileActivities {
  const reconciler = createRunReconciler(deps);
  return {
    async sweepUnsettledRuns(input) {
      const result = await reconciler.sweep(input);
      if (result.started > 0 || result.settled.length > 0 || result.skipped > 0) deps.logger.info(result, 'run sweep reconciled runs');
      return result;
    },
  };
}
