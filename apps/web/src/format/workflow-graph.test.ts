import { describe, expect, it } from 'vitest';
import { buildWorkflowGraph, layoutWorkflowGraph, nodeForErrorPath } from './workflow-graph';

const edgesOf = (graph: ReturnType<typeof buildWorkflowGraph>) =>
  graph.edges.map((e) => `${e.source} -> ${e.target}${e.label ? ` [${e.label}]` : ''}`);

describe('buildWorkflowGraph', () => {
  it('chains tool and wait steps between start and end', () => {
    const graph = buildWorkflowGraph({
      steps: [
        { id: 'say', type: 'tool', server: 'everything', tool: 'echo', args: {} },
        { id: 'pause', type: 'wait', duration: '5s' },
      ],
    });
    expect(graph.nodes.map((n) => [n.id, n.kind, n.title, n.detail])).toEqual([
      ['start', 'start', 'start', ''],
      ['steps[0]', 'tool', 'say', 'everything · echo'],
      ['steps[1]', 'wait', 'pause', 'wait 5s'],
      ['end', 'end', 'end', ''],
    ]);
    expect(edgesOf(graph)).toEqual(['start -> steps[0]', 'steps[0] -> steps[1]', 'steps[1] -> end']);
  });

  it('draws a map as a group holding its inner steps, with its concurrency', () => {
    const graph = buildWorkflowGraph({
      steps: [
        {
          id: 'each',
          type: 'map',
          items: '{{ $input.files }}',
          maxConcurrency: 5,
          steps: [
            { id: 'read', type: 'tool', server: 'fs', tool: 'read', args: {} },
            { id: 'count', type: 'tool', server: 'fix', tool: 'count', args: {} },
          ],
        },
      ],
    });
    const group = graph.nodes.find((n) => n.id === 'steps[0]#group')!;
    expect(group).toMatchObject({ kind: 'map', isGroup: true, path: null, detail: 'each of $input.files · ≤ 5 at a time' });
    expect(graph.nodes.filter((n) => n.parentId === 'steps[0]#group').map((n) => [n.id, n.kind])).toEqual([
      ['steps[0]', 'map'],
      ['steps[0].steps[0]', 'tool'],
      ['steps[0].steps[1]', 'tool'],
    ]);
    expect(edgesOf(graph)).toEqual([
      'start -> steps[0]',
      'steps[0] -> steps[0].steps[0]',
      'steps[0].steps[0] -> steps[0].steps[1]',
      'steps[0].steps[1] -> end',
    ]);
  });

  it('forks parallel branches (labelled by name) and joins them', () => {
    const graph = buildWorkflowGraph({
      steps: [
        {
          id: 'both',
          type: 'parallel',
          branches: {
            left: [{ id: 'l', type: 'wait', duration: '1s' }],
            right: [
              { id: 'r1', type: 'wait', duration: '1s' },
              { id: 'r2', type: 'wait', duration: '1s' },
            ],
          },
        },
      ],
    });
    expect(edgesOf(graph)).toEqual([
      'start -> steps[0]',
      'steps[0] -> steps[0].branches.left[0] [left]',
      'steps[0] -> steps[0].branches.right[0] [right]',
      'steps[0].branches.right[0] -> steps[0].branches.right[1]',
      'steps[0].branches.left[0] -> steps[0]#join',
      'steps[0].branches.right[1] -> steps[0]#join',
      'steps[0]#join -> end',
    ]);
  });

  it('labels choice edges with their conditions, the default, or "otherwise"', () => {
    const withDefault = buildWorkflowGraph({
      steps: [
        {
          id: 'pick',
          type: 'choice',
          choices: [{ when: '{{ $input.n > 1 }}', steps: [{ id: 'big', type: 'wait', duration: '1s' }] }],
          default: [{ id: 'small', type: 'wait', duration: '1s' }],
        },
      ],
    });
    expect(edgesOf(withDefault)).toEqual([
      'start -> steps[0]',
      'steps[0] -> steps[0].choices[0].steps[0] [$input.n > 1]',
      'steps[0] -> steps[0].default[0] [default]',
      'steps[0].choices[0].steps[0] -> end',
      'steps[0].default[0] -> end',
    ]);
    const without = buildWorkflowGraph({
      steps: [{ id: 'pick', type: 'choice', choices: [{ when: '{{ true }}', steps: [{ id: 'a', type: 'wait', duration: '1s' }] }] }],
    });
    expect(edgesOf(without)).toContain('steps[0] -> end [otherwise]');
  });

  it('adds a fallback step on a dashed "on failure" edge', () => {
    const graph = buildWorkflowGraph({
      steps: [
        { id: 'risky', type: 'tool', server: 's', tool: 't', args: {}, catch: { step: { id: 'safe', type: 'wait', duration: '1s' } } },
        { id: 'after', type: 'tool', server: 's', tool: 't', args: {}, catch: { value: null } },
      ],
    });
    expect(graph.edges.find((e) => e.target === 'steps[0].catch.step')).toMatchObject({
      source: 'steps[0]',
      label: 'on failure',
      isFallback: true,
    });
    expect(edgesOf(graph)).toContain('steps[0].catch.step -> steps[1]');
    expect(graph.nodes.find((n) => n.id === 'steps[1]')!.hasCatchValue).toBe(true);
  });

  it('draws whatever parses while the definition is incomplete', () => {
    const graph = buildWorkflowGraph({ steps: [{ id: 'x' }, 'junk', { type: 'teleport' }] });
    expect(graph.nodes.map((n) => [n.kind, n.title, n.detail])).toEqual([
      ['start', 'start', ''],
      ['unknown', 'x', 'no type'],
      ['unknown', '(no id)', 'no type'],
      ['unknown', '(no id)', 'unknown type "teleport"'],
      ['end', 'end', ''],
    ]);
    expect(buildWorkflowGraph(42).nodes.map((n) => n.id)).toEqual(['start', 'end']);
  });
});

describe('nodeForErrorPath', () => {
  const graph = buildWorkflowGraph({
    steps: [
      { id: 'a', type: 'tool', server: 's', tool: 't', args: {} },
      { id: 'm', type: 'map', items: '{{ [1] }}', steps: [{ id: 'in', type: 'tool', server: 's', tool: 't', args: {} }] },
    ],
  });

  it('picks the deepest step holding the path', () => {
    expect(nodeForErrorPath(graph, 'steps[0].args.path')).toBe('steps[0]');
    expect(nodeForErrorPath(graph, 'steps[1].steps[0].server')).toBe('steps[1].steps[0]');
    expect(nodeForErrorPath(graph, 'steps[1].items')).toBe('steps[1]');
  });

  it('sends output errors to the end node and the rest to start', () => {
    expect(nodeForErrorPath(graph, 'output.total')).toBe('end');
    expect(nodeForErrorPath(graph, 'steps')).toBe('start');
    expect(nodeForErrorPath(graph, 'steps[10]')).toBe('start');
  });
});

describe('layoutWorkflowGraph', () => {
  it('lays steps out top to bottom, parents first, children inside their group', () => {
    const graph = buildWorkflowGraph({
      steps: [
        { id: 'a', type: 'wait', duration: '1s' },
        { id: 'm', type: 'map', items: '{{ [1] }}', steps: [{ id: 'in', type: 'wait', duration: '1s' }] },
        { id: 'z', type: 'wait', duration: '1s' },
      ],
    });
    const laid = layoutWorkflowGraph(graph);
    const byId = new Map(laid.map((n) => [n.id, n]));
    expect(laid.findIndex((n) => n.id === 'steps[1]#group')).toBeLessThan(laid.findIndex((n) => n.id === 'steps[1].steps[0]'));
    const [start, a, group, fanOut, inner, z, end] = [
      'start',
      'steps[0]',
      'steps[1]#group',
      'steps[1]',
      'steps[1].steps[0]',
      'steps[2]',
      'end',
    ].map((id) => byId.get(id)!);
    expect(fanOut!.y).toBeLessThan(inner!.y);
    expect(start!.y).toBeLessThan(a!.y);
    // The group sits below a and above z, without overlapping either; its child is placed relative to it.
    expect(group!.y).toBeGreaterThanOrEqual(a!.y + a!.height);
    expect(z!.y).toBeGreaterThanOrEqual(group!.y + group!.height);
    expect(z!.y).toBeLessThan(end!.y);
    expect(inner!.x).toBeGreaterThan(0);
    expect(inner!.y).toBeGreaterThan(0);
    expect(inner!.x + inner!.width).toBeLessThanOrEqual(group!.width);
    expect(inner!.y + inner!.height).toBeLessThanOrEqual(group!.height);
  });
});
