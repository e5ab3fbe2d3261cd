import { proxyActivities } from '@temporalio/workflow';
import { ACTIVITY_PRESETS, type ListToolsInput, type ServerActivities } from './contracts';

const { refreshToolsSnapshot } = proxyActivities<ServerActivities>(ACTIVITY_PRESETS.listTools);

/** Lists a server installation's tools live (on the worker, where servers run) and stores the snapshot. */
export async function listServerTools(input: ListToolsInput): Promise<Awaited<ReturnType<ServerActivities['refreshToolsSnapshot']>>> {
  return refreshToolsSnapshot(input);
}
