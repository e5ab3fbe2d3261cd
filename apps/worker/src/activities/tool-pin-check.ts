// Tool pinning at call time: every (re)connected pool session's live tools/list is compared with the
// installation's approved set before its first call (once per session, not per call). A difference is
// recorded as a pending snapshot for a team admin and the call fails, not retried, until it is approved.
import { verifyToolListing, type Database } from '@manifold/db';
import { McpCallError, type Tool } from '@manifold/mcp';
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

/** The pool's `verifyTools` for one installation's calls. */
export function toolPinCheck(db: Database, teamId: string, installation: { id: string; name: string }) {
  return async (tools: Tool[]): Promise<void> => {
    const result = await verifyToolListing(db, teamId, installation.id, pinListing(tools.map(toToolSummary)));
    if (result.status === 'approved') return;
    const isNew = result.changes.every((c) => c.kind === 'added');
    const what = result.changes.map((c) => `"${c.tool}" ${c.kind}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`).join(', ');
    throw new McpCallError(
      'tools_held',
      `Tool definitions of "${installation.name}" changed; waiting for approval ` +
        `(${isNew ? 'never approved for this installation' : what}; pending snapshot ${result.snapshotId}). ` +
        `A team owner or admin reviews and approves them on the server page or with POST /api/v1/installations/${installation.name}/tools/approve.`,
    );
  };
}
