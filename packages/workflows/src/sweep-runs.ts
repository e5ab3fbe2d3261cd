// The run sweep (a Temporal schedule): starts runs whose start never reached Temporal and settles runs whose
// workflow ended without recording it (terminated, timed out, lost). The work is one activity: it is all I/O.
import { proxyActivities } from '@temporalio/workflow';
import { ACTIVITY_PRESETS, type ReconcileActivities, type SweepRunsInput, type SweepRunsResult } from './contracts';

const { sweepUnsettledRuns } = proxyActivities<ReconcileActivities>(ACTIVITY_PRESETS.runSweep);

export async function sweepRuns(input: SweepRunsInput = {}): Promise<SweepRunsResult> {
  return sweepUnsettledRuns(input);
}
