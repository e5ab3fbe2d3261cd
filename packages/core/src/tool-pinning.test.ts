import { describe, expect, it } from 'vitest';
import { diffToolSets, toolsUsedBy, type PinnedTool } from './tool-pinning';

const tool = (
  name: string,
  hash: string,
  description = `${name} tool`,
  inputSchema: Record<string, unknown> = { type: 'object' },
): PinnedTool => ({
  name,
  hash,
  description,
  inputSchema,
});

describe('diffToolSets', () => {
  it('finds added, removed and changed tools by name, whatever the order, and names the changed fields', () => {
    const approved = [tool('a', '1'), tool('b', '2'), tool('c', '3', 'c tool', { type: 'object', properties: { x: {} } })];
    const current = [tool('d', '4'), tool('c', '9', 'c tool', { properties: { x: {} }, type: 'object', required: ['x'] }), tool('a', '1')];
    const changes = diffToolSets(approved, current);
    expect(changes.map((c) => [c.tool, c.kind, c.fields])).toEqual([
      ['b', 'removed', []],
      ['c', 'changed', ['inputSchema']],
      ['d', 'added', []],
    ]);
  });

  it('does not report a schema change when only key order differs', () => {
    const changes = diffToolSets(
      [tool('a', '1', 'old', { type: 'object', title: 't' })],
      [tool('a', '2', 'new', { title: 't', type: 'object' })],
    );
    expect(changes[0]!.fields).toEqual(['description']);
  });

  it('reports nothing for equal sets', () => {
    expect(diffToolSets([tool('a', '1'), tool('b', '2')], [tool('b', '2'), tool('a', '1')])).toEqual([]);
  });
});

describe('toolsUsedBy', () => {
  it('finds tool steps at any depth with their JSON paths, ignoring look-alikes inside args', () => {
    const definition = {
      steps: [
        { id: 's1', type: 'tool', server: 'fs', tool: 'read', args: { nested: { type: 'tool', server: 'x', tool: 'y' } } },
        { id: 'p', type: 'parallel', branches: [[{ id: 's2', type: 'tool', server: 'mem', tool: 'write', args: {} }]] },
      ],
    };
    expect(toolsUsedBy(definition)).toEqual([
      { server: 'fs', tool: 'read', path: 'steps[0].tool' },
      { server: 'mem', tool: 'write', path: 'steps[1].branches[0][0].tool' },
    ]);
  });
});
