import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import { certifyServer } from './certify-server';
import { ACTIVITY_PRESETS, type ListToolsInput, type ServerActivities } from './contracts';

const { refreshToolsSnapshot } = proxyActivities<ServerActivities>(ACTIVITY_PRESETS.listTools);

/**
 * Lists a server installation's tools live (on the worker, where servers run) and stores the snapshot. A tool
 * change not seen before starts a re-certification of the server that outlives this workflow.
 */
export async function listServerTools(input: ListToolsInput): Promise<Awaited<ReturnType<ServerActivities['refreshToolsSnapshot']>>> {
  const result = await refreshToolsSnapshot(input);
  const pinning = result.pinning;
  if (pinning?.isNewChange && pinning.serverId) {
    await startChild(certifyServer, {
      args: [{ serverId: pinning.serverId, trigger: 'tools_changed', teamId: input.teamId, installationId: input.installationId }],
      workflowId: `certify-tools-changed-${pinning.snapshotId}`,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }
  return {
    ...result,
    ...(pinning ? { pinning: { status: pinning.status, changes: pinning.changes, snapshotId: pinning.snapshotId } } : {}),
  };
}
