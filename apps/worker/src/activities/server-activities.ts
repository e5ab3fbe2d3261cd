// Activities about servers themselves: live tool listing (the worker is where servers run).
import { ApplicationFailure } from '@temporalio/common';
import { getInstallationById, recordToolListing, type Database, type ToolListingResult } from '@manifold/db';
import { classifyError, type McpPool } from '@manifold/mcp';
import type { ServerActivities, ToolSummary } from '@manifold/workflows';
import { connectionSpecFor, type SpecHost } from '../connection-spec';
import type { SecretBinder } from '../secrets/bind-secrets';
import { setupFailure } from '../secrets/setup-failure';
import { gateFor, pinListing, toToolSummary } from './tool-pin-check';

const LIST_TIMEOUT_MS = 30_000;

export function createServerActivities(deps: {
  db: Database;
  pool: McpPool;
  dataDir: string;
  /** Sandbox defaults for stdio servers (see SpecHost). */
  sandbox?: SpecHost['sandbox'];
  /** The operator's MANIFOLD_ALLOWED_COMMANDS, re-checked before a team entry's program starts. */
  allowedCommands: readonly string[];
  bindSecrets: SecretBinder;
}): ServerActivities {
  return {
    async refreshToolsSnapshot({ teamId, installationId }) {
      const installation = await getInstallationById(deps.db, teamId, installationId);
      if (!installation) throw ApplicationFailure.nonRetryable('The server installation no longer exists.', 'not_found');
      const started = performance.now();
      let tools: ToolSummary[] = [];
      let recorded: ToolListingResult | undefined;
      let latencyMs = 0;
      let redactText = (text: string) => text;
      try {
        const binding = await deps.bindSecrets(installation, {});
        redactText = binding.redactor.redactText;
        // The listing is recorded for pinning and is also the pooled session's check: calls that follow reuse it.
        await deps.pool.listTools(connectionSpecFor(installation, deps, binding.secrets, binding.authorization), {
          timeoutMs: LIST_TIMEOUT_MS,
          verifyTools: async (listed) => {
            latencyMs = Math.round(performance.now() - started); // the listing, not the write after it
            tools = listed.map(toToolSummary);
            recorded = await recordToolListing(deps.db, teamId, installationId, pinListing(tools));
            return gateFor(installation, recorded);
          },
        });
      } catch (error) {
        const failure = classifyError(setupFailure(error), `tools/list on "${installation.name}"`);
        throw ApplicationFailure.create({ type: failure.errorClass, message: redactText(failure.message) });
      }
      // Pin each definition by hash; a listing that differs from the approved set holds the workflows using it.
      const { status, changes, snapshotId, isNew } = recorded!;
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
