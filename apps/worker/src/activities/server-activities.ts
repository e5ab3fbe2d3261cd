// Activities about servers themselves: live tool listing (the worker is where servers run).
import { ApplicationFailure } from '@temporalio/common';
import { getInstallationById, recordToolListing, type Database } from '@manifold/db';
import { toolDefinitionHash, toolSetHash } from '@manifold/secrets';
import { classifyError, type McpPool } from '@manifold/mcp';
import type { ServerActivities, ToolSummary } from '@manifold/workflows';
import { connectionSpecFor, type SpecHost } from '../connection-spec';
import type { SecretBinder } from '../secrets/bind-secrets';
import { setupFailure } from '../secrets/setup-failure';

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
      let tools: ToolSummary[];
      let redactText = (text: string) => text;
      try {
        const binding = await deps.bindSecrets(installation, {});
        redactText = binding.redactor.redactText;
        const listed = await deps.pool.listTools(connectionSpecFor(installation, deps, binding.secrets, binding.authorization), {
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
        const failure = classifyError(setupFailure(error), `tools/list on "${installation.name}"`);
        throw ApplicationFailure.create({ type: failure.errorClass, message: redactText(failure.message) });
      }
      const latencyMs = Math.round(performance.now() - started);
      // Pin each definition by hash; a listing that differs from the approved set holds the workflows using it.
      const pinnedTools = tools.map((tool) => ({ ...tool, hash: toolDefinitionHash(tool) }));
      const { status, changes, snapshotId, isNew } = await recordToolListing(deps.db, teamId, installationId, {
        tools: pinnedTools,
        setHash: toolSetHash(pinnedTools),
      });
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
