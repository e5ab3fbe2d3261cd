// Tool definition pinning: what changed between the approved tool set of a server and a new live listing,
// and which tools a workflow definition uses (so runs using a changed tool can be held).

/** A tool as listed, with the hash of its pinned fields (name, description, input schema). */
export interface PinnedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  hash: string;
}

export type ToolChangeKind = 'added' | 'removed' | 'changed';

export interface ToolChange {
  tool: string;
  kind: ToolChangeKind;
  /** For "changed": which pinned fields differ. */
  fields: Array<'description' | 'inputSchema'>;
  before?: { description: string; inputSchema: Record<string, unknown> };
  after?: { description: string; inputSchema: Record<string, unknown> };
}

/** JSON with sorted keys, to compare schemas whatever their key order. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const pinned = (tool: PinnedTool) => ({ description: tool.description ?? '', inputSchema: tool.inputSchema });

/** The differences from `approved` to `current`, by tool name, sorted by name. Order of tools does not matter. */
export function diffToolSets(approved: readonly PinnedTool[], current: readonly PinnedTool[]): ToolChange[] {
  const before = new Map(approved.map((t) => [t.name, t]));
  const after = new Map(current.map((t) => [t.name, t]));
  const changes: ToolChange[] = [];
  for (const [name, tool] of after) {
    const old = before.get(name);
    if (!old) changes.push({ tool: name, kind: 'added', fields: [], after: pinned(tool) });
    else if (old.hash !== tool.hash) {
      const fields: ToolChange['fields'] = [];
      if ((old.description ?? '') !== (tool.description ?? '')) fields.push('description');
      if (sortedJson(old.inputSchema) !== sortedJson(tool.inputSchema)) fields.push('inputSchema');
      changes.push({ tool: name, kind: 'changed', fields, before: pinned(old), after: pinned(tool) });
    }
  }
  for (const [name, tool] of before) if (!after.has(name)) changes.push({ tool: name, kind: 'removed', fields: [], before: pinned(tool) });
  return changes.sort((a, b) => a.tool.localeCompare(b.tool));
}

export interface ToolUse {
  server: string;
  tool: string;
  /** JSON path of the step's `tool` field, e.g. `steps[2].tool`. */
  path: string;
}

/**
 * Every tool step in a definition, wherever it is nested (future step kinds such as map or parallel hold
 * steps inside): anything shaped `{ type: "tool", server, tool }`.
 */
export function toolsUsedBy(definition: unknown): ToolUse[] {
  const uses: ToolUse[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record.type === 'tool' && typeof record.server === 'string' && typeof record.tool === 'string')
        uses.push({ server: record.server, tool: record.tool, path: `${path}.tool`.replace(/^\./, '') });
      for (const [key, child] of Object.entries(record)) if (key !== 'args') visit(child, path ? `${path}.${key}` : key);
    }
  };
  visit(definition, '');
  return uses;
}
