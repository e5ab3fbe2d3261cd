// Activities about servers themselves: live tool listing (the worker is where servers run).
import { ApplicationFailure } from '@temporalio/common';
import { getInstallationById, recordToolListing, type Database } from '@manifold/db';
import { classifyError, type McpPool } from '@manifold/mcp';
import type { ServerActivities, ToolSummary } from '@manifold/workflows';
import { connectionSpecFor } from '../connection-spec';
import type { SecretBinder } from '../secrets/bind-secrets';
import { setupFailure } from '../secrets/setup-failure';
import { pinListing, toToolSummary } from './tool-pin-check';

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
        const listed = await deps.pool.listTools(connectionSpecFor(installation, deps.dataDir, binding.secrets, binding.authorization), {
          timeoutMs: LIST_TIMEOUT_MS,
        });
        tools = listed.map(toToolSummary);
      } catch (error) {
        const failure = classifyError(setupFailure(error), `tools/list on "${installation.name}"`);
        throw ApplicationFailure.create({ type: failure.errorClass, message: redactText(failure.message) });
      }
      const latencyMs = Math.round(performance.now() - started);
      // Pin each definition by hash; a listing that differs from the approved set holds the workflows using it.
      const { status, changes, snapshotId, isNew } = await recordToolListing(deps.db, teamId, installationId, pinListing(tools));
      return {
        tools,
        latencyMs,
        pinning: {
          status,
          changes,
          snapshotId,
          ...(status === 'pending' && isNew ? { isNewChange: true, serverId: installation.serverId } : {}),
        },
      };
    },
  };
}
