// Activities about servers themselves: live tool listing (the worker is where servers run).
import { ApplicationFailure } from '@temporalio/common';
import { getInstallationById, saveToolsSnapshot, type Database } from '@manifold/db';
import { classifyError, type McpPool } from '@manifold/mcp';
import type { ServerActivities, ToolSummary } from '@manifold/workflows';
import { connectionSpecFor } from '../connection-spec';
import type { SecretBinder } from '../secrets/bind-secrets';

const LIST_TIMEOUT_MS = 30_000;

export function createServerActivities(deps: {
  db: Database;
  pool: McpPool;
  dataDir: string;
  bindSecrets: SecretBinder;
}): ServerActivities {
  return {
    async refreshToolsSnapshot({ teamId, installationId }) {
      const installation = await getInstallationById(deps.db, teamId, installationId);
      if (!installation) throw ApplicationFailure.nonRetryable('The server installation no longer exists.', 'not_found');
      const started = performance.now();
      let tools: ToolSummary[];
      let redactText = (text: string) => text;
      try {
        const binding = await deps.bindSecrets(installation, {});
        redactText = binding.redactor.redactText;
        const listed = await deps.pool.listTools(connectionSpecFor(installation, deps.dataDir, binding.secrets), {
          timeoutMs: LIST_TIMEOUT_MS,
        });
        tools = listed.map((t) => ({
          name: t.name,
          ...(t.title ? { title: t.title } : {}),
          ...(t.description ? { description: t.description } : {}),
          inputSchema: t.inputSchema as Record<string, unknown>,
          ...(t.annotations ? { annotations: t.annotations as Record<string, unknown> } : {}),
        }));
      } catch (error) {
        const failure = classifyError(error, `tools/list on "${installation.name}"`);
        throw ApplicationFailure.create({ type: failure.errorClass, message: redactText(failure.message) });
      }
      const latencyMs = Math.round(performance.now() - started);
      await saveToolsSnapshot(deps.db, teamId, installationId, tools);
      return { tools, latencyMs };
    },
  };
}
