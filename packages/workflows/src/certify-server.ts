// Certification on Temporal: the worker measures (activities), this code scores with the tier rules of
// @manifold/core (deterministic) and the result is recorded. recertifyServers is what the schedule runs.
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { evaluate } from '@manifold/core/workflow-runtime';
import {
  ACTIVITY_PRESETS,
  type CertificationActivities,
  type CertifyServerInput,
  type CertifyServerResult,
  type ConnectionTestResult,
  type ListToolsInput,
} from './contracts';

const { measureServer } = proxyActivities<CertificationActivities>(ACTIVITY_PRESETS.certificationProbe);
const { probeConnection } = proxyActivities<CertificationActivities>(ACTIVITY_PRESETS.listTools);
const { recordCertification, listServersToRecertify } = proxyActivities<CertificationActivities>(ACTIVITY_PRESETS.dbWrite);

export async function certifyServer(input: CertifyServerInput): Promise<CertifyServerResult> {
  const startedAt = new Date().toISOString(); // workflow time: replay-safe
  const { serverVersion, measurements } = await measureServer(input);
  const evaluation = evaluate(measurements);
  const recorded = await recordCertification({
    serverId: input.serverId,
    serverVersion,
    trigger: input.trigger,
    ...(input.teamId ? { teamId: input.teamId } : {}),
    // Through an installation (settings the team controls) the result is always the team's own report.
    scope: input.installationId ? 'team' : (input.scope ?? (input.teamId ? 'team' : 'system')),
    startedAt,
    evaluation,
    measurements,
  });
  return { ...recorded, scores: evaluation.scores, reasons: evaluation.reasons };
}

/** Re-certifies every server that is due, one at a time (probing is heavy on a small worker). */
export async function recertifyServers(): Promise<{ certified: number; failed: number }> {
  const due = await listServersToRecertify();
  let certified = 0;
  let failed = 0;
  for (const { serverId, trigger } of due) {
    try {
      await executeChild(certifyServer, { args: [{ serverId, trigger }], workflowId: `${workflowInfo().workflowId}-${serverId}` });
      certified++;
    } catch {
      failed++; // one server's failure must not stop the sweep; its error is in that child's history
    }
  }
  return { certified, failed };
}

/** "Test connection" from the install form: initialize + tools/list live on the worker, with latency. */
export async function testServerConnection(input: ListToolsInput): Promise<ConnectionTestResult> {
  return probeConnection(input);
}
