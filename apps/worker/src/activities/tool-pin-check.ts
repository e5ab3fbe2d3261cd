// Tool pinning at call time: every (re)connected pool session's live tools/list is compared with the
// installation's approved set before its first call (once per session, not per call). A difference is
// recorded as a pending snapshot for a team admin and the call fails, not retried, until it is approved.
import { verifyToolListing, type Database, type ToolListingResult } from '@manifold/db';
import { McpCallError, type Tool, type ToolGate } from '@manifold/mcp';
import { toolDefinitionHash, toolSetHash } from '@manifold/secrets';
import type { ToolSummary } from '@manifold/workflows';

/** The pinned fields of a listed tool (and what the dashboard shows). */
export function toToolSummary(tool: Tool): ToolSummary {
  return {
    name: tool.name,
    ...(tool.title ? { title: tool.title } : {}),
    ...(tool.description ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema as Record<string, unknown>,
    ...(tool.annotations ? { annotations: tool.annotations as Record<string, unknown> } : {}),
  };
}

/** Each tool with the hash of its definition, and the hash of the whole set. */
export function pinListing(tools: readonly ToolSummary[]) {
  const pinned = tools.map((tool) => ({ ...tool, hash: toolDefinitionHash(tool) }));
  return { tools: pinned, setHash: toolSetHash(pinned) };
}

/**
 * The gate a recorded listing gives a session. Equal to the approved set: every call passes. Else the changed,
 * added and removed tools are held (like a run start holds only the steps using them); a new installation
 * whose tools were never approved has every tool "added", so all of them are held.
 */
export function gateFor(installation: { name: string }, result: ToolListingResult): ToolGate {
  if (result.status === 'approved') return () => undefined;
  const held = new Map(result.changes.map((c) => [c.tool, c]));
  const isNew = result.changes.every((c) => c.kind === 'added');
  return (toolName) => {
    const change = held.get(toolName);
    if (!change) return;
    throw new McpCallError(
      'tools_held',
      `Tool definitions of "${installation.name}" changed; waiting for approval: ` +
        (isNew
          ? `this installation's tools were never approved`
          : `"${change.tool}" was ${change.kind}${change.fields.length ? ` (${change.fields.join(', ')})` : ''}`) +
        ` (pending snapshot ${result.snapshotId}). A team owner or admin reviews and approves it on the server page or with ` +
        `POST /api/v1/installations/${installation.name}/tools/approve.`,
    );
  };
}

/** The pool's `verifyTools` for one installation's calls: the session's live tools against the approved set. */
export function toolPinCheck(db: Database, teamId: string, installation: { id: string; name: string }) {
  return async (tools: Tool[]): Promise<ToolGate> =>
    gateFor(installation, await verifyToolListing(db, teamId, installation.id, pinListing(tools.map(toToolSummary))));
}
