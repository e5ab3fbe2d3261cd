// The editor's graph of a workflow definition: a node per step, edges in execution order, start and end.
// It reads the parsed JSON loosely (not the zod-parsed form), so the graph follows the text while the
// definition is still incomplete. Node ids are the steps' JSON paths (`steps[1].steps[0]`): unique even
// while two steps share an id, and the same paths the validation errors use.
import { Graph, layout } from '@dagrejs/dagre';

export type GraphNodeKind = 'start' | 'end' | 'tool' | 'wait' | 'map' | 'parallel' | 'join' | 'choice' | 'unknown';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  title: string;
  detail: string;
  /** The step's JSON path; null for start, end and join nodes. */
  path: string | null;
  /** The map group holding this node. */
  parentId?: string;
  /** The box around a map's node and its inner steps (`<path>#group`). */
  isGroup?: boolean;
  /** Is this step the fallback (`catch.step`) of another? */
  isFallback?: boolean;
  /** The step has a `catch` default value. */
  hasCatchValue?: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
  /** A fallback taken when the step fails. */
  isFallback?: boolean;
}

export interface WorkflowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const START_ID = 'start';
export const END_ID = 'end';

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, fallback = '?') => (typeof value === 'string' && value.trim() ? value : fallback);
const shorten = (value: string, max = 40) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
/** "{{ $input.items }}" → "$input.items" for labels. */
const expression = (value: unknown) => shorten(text(value).replace(/^\s*\{\{\s*([\s\S]*?)\s*\}\}\s*$/, '$1'));

/** An edge about to be drawn from `source` to whatever comes next. */
interface Port {
  source: string;
  label?: string;
  isFallback?: boolean;
}

export function buildWorkflowGraph(definition: unknown): WorkflowGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const edgeIds = new Map<string, number>();

  const connect = (ports: Port[], target: string) => {
    for (const port of ports) {
      const base = `${port.source}->${target}`;
      const seen = edgeIds.get(base) ?? 0;
      edgeIds.set(base, seen + 1);
      edges.push({
        id: seen ? `${base}#${seen}` : base,
        source: port.source,
        target,
        ...(port.label !== undefined ? { label: port.label } : {}),
        ...(port.isFallback ? { isFallback: true } : {}),
      });
    }
  };

  const addNode = (node: GraphNode, incoming: Port[]) => {
    nodes.push(node);
    connect(incoming, node.id);
    return [{ source: node.id }];
  };

  const addSequence = (steps: unknown, path: string, incoming: Port[], parentId: string | undefined): Port[] => {
    if (!Array.isArray(steps)) return incoming;
    return steps.reduce<Port[]>((ports, step, index) => addStep(step, `${path}[${index}]`, ports, parentId), incoming);
  };

  const addStep = (raw: unknown, path: string, incoming: Port[], parentId: string | undefined, isFallback = false): Port[] => {
    const step = isObject(raw) ? raw : {};
    const base = {
      id: path,
      title: text(step.id, '(no id)'),
      path,
      ...(parentId ? { parentId } : {}),
      ...(isFallback ? { isFallback } : {}),
      ...(isObject(step.catch) && 'value' in step.catch ? { hasCatchValue: true } : {}),
    };
    let exits: Port[];
    switch (step.type) {
      case 'tool':
        exits = addNode({ ...base, kind: 'tool', detail: `${text(step.server)} · ${text(step.tool)}` }, incoming);
        break;
      case 'wait':
        exits = addNode(
          { ...base, kind: 'wait', detail: `wait ${typeof step.duration === 'number' ? `${step.duration} ms` : text(step.duration)}` },
          incoming,
        );
        break;
      case 'map': {
        const concurrency = typeof step.maxConcurrency === 'number' ? step.maxConcurrency : 10;
        const detail = `each of ${expression(step.items)} · ≤ ${concurrency} at a time`;
        const hasInner = Array.isArray(step.steps) && step.steps.length > 0;
        if (!hasInner) {
          exits = addNode({ ...base, kind: 'map', detail }, incoming);
          break;
        }
        // The box around the items' steps; inside it, the map's own node fans out to them.
        const groupId = `${path}#group`;
        nodes.push({ id: groupId, kind: 'map', title: base.title, detail, path: null, isGroup: true, ...(parentId ? { parentId } : {}) });
        const fanOut = addNode({ ...base, parentId: groupId, kind: 'map', detail }, incoming);
        exits = addSequence(step.steps, `${path}.steps`, fanOut, groupId);
        break;
      }
      case 'parallel': {
        const branches = isObject(step.branches) ? Object.entries(step.branches) : [];
        const [fork] = addNode(
          { ...base, kind: 'parallel', detail: `${branches.length} branch${branches.length === 1 ? '' : 'es'} at once` },
          incoming,
        );
        const join: GraphNode = {
          id: `${path}#join`,
          kind: 'join',
          title: 'join',
          detail: `all of ${base.title}`,
          path: null,
          ...(parentId ? { parentId } : {}),
        };
        const ends = branches.flatMap(([name, steps]) =>
          addSequence(steps, `${path}.branches.${name}`, [{ source: fork!.source, label: name }], parentId),
        );
        exits = addNode(join, branches.length ? ends : [fork!]);
        break;
      }
      case 'choice': {
        const choices = Array.isArray(step.choices) ? step.choices : [];
        const [fork] = addNode(
          { ...base, kind: 'choice', detail: `${choices.length} condition${choices.length === 1 ? '' : 's'}` },
          incoming,
        );
        exits = choices.flatMap((choice: unknown, index) => {
          const c = isObject(choice) ? choice : {};
          return addSequence(c.steps, `${path}.choices[${index}].steps`, [{ source: fork!.source, label: expression(c.when) }], parentId);
        });
        exits.push(
          ...(step.default !== undefined
            ? addSequence(step.default, `${path}.default`, [{ source: fork!.source, label: 'default' }], parentId)
            : [{ source: fork!.source, label: 'otherwise' }]),
        );
        break;
      }
      default:
        exits = addNode(
          { ...base, kind: 'unknown', detail: step.type === undefined ? 'no type' : `unknown type ${shorten(JSON.stringify(step.type))}` },
          incoming,
        );
    }
    // A fallback step runs when this one fails; either way the run goes on to the next step.
    if (isObject(step.catch) && 'step' in step.catch) {
      const anchors = [{ source: path }];
      exits = [
        ...exits,
        ...addStep(
          step.catch.step,
          `${path}.catch.step`,
          anchors.map((a) => ({ source: a.source, label: 'on failure', isFallback: true })),
          parentId,
          true,
        ),
      ];
    }
    return exits;
  };

  const root = isObject(definition) ? definition : {};
  addNode({ id: START_ID, kind: 'start', title: 'start', detail: isObject(root.input) ? 'with input' : '', path: null }, []);
  const exits = addSequence(root.steps, 'steps', [{ source: START_ID }], undefined);
  addNode({ id: END_ID, kind: 'end', title: 'end', detail: root.output !== undefined ? 'with output' : '', path: null }, exits);
  return { nodes, edges };
}

const isWithin = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/**
 * The node an error path belongs to: the deepest step whose path holds it; errors about the whole
 * definition go to start, those about its output to end.
 */
export function nodeForErrorPath(graph: WorkflowGraph, errorPath: string): string {
  let best: GraphNode | undefined;
  for (const node of graph.nodes)
    if (node.path !== null && isWithin(errorPath, node.path) && (!best || node.path.length > best.path!.length)) best = node;
  if (best) return best.id;
  return isWithin(errorPath, 'output') ? END_ID : START_ID;
}

export const NODE_SIZE: Record<GraphNodeKind, { width: number; height: number }> = {
  start: { width: 96, height: 36 },
  end: { width: 96, height: 36 },
  join: { width: 96, height: 32 },
  tool: { width: 220, height: 60 },
  wait: { width: 220, height: 60 },
  map: { width: 220, height: 60 },
  parallel: { width: 220, height: 60 },
  choice: { width: 220, height: 60 },
  unknown: { width: 220, height: 60 },
};

const GROUP_PADDING = 14;

export interface PositionedNode extends GraphNode {
  /** Top-left, relative to the parent group when there is one (React Flow's convention). */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A layered top-to-bottom layout (dagre); groups are sized to hold their inner steps. */
export function layoutWorkflowGraph(graph: WorkflowGraph): PositionedNode[] {
  const g = new Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 64, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    g.setNode(node.id, node.isGroup ? {} : { ...NODE_SIZE[node.kind] });
  }
  for (const node of graph.nodes) if (node.parentId) g.setParent(node.id, node.parentId);
  for (const edge of graph.edges)
    g.setEdge(edge.source, edge.target, { minlen: 1, ...(edge.label ? { width: 60, height: 16 } : {}) }, edge.id);
  layout(g);

  // dagre gives centres (absolute); groups are their children's box plus padding; children become relative.
  const absolute = new Map<string, { x: number; y: number; width: number; height: number }>();
  const bounds = (id: string): { x: number; y: number; width: number; height: number } => {
    const cached = absolute.get(id);
    if (cached) return cached;
    const node = graph.nodes.find((n) => n.id === id)!;
    let box: { x: number; y: number; width: number; height: number };
    if (node.isGroup) {
      const children = graph.nodes.filter((n) => n.parentId === id).map((n) => bounds(n.id));
      const left = Math.min(...children.map((c) => c.x)) - GROUP_PADDING;
      const top = Math.min(...children.map((c) => c.y)) - GROUP_PADDING;
      const right = Math.max(...children.map((c) => c.x + c.width)) + GROUP_PADDING;
      const bottom = Math.max(...children.map((c) => c.y + c.height)) + GROUP_PADDING;
      box = { x: left, y: top, width: right - left, height: bottom - top };
    } else {
      const laid = g.node(id);
      box = { x: laid.x - laid.width / 2, y: laid.y - laid.height / 2, width: laid.width, height: laid.height };
    }
    absolute.set(id, box);
    return box;
  };
  // Parents first: React Flow needs a parent before its children.
  const depth = (node: GraphNode): number => (node.parentId ? 1 + depth(graph.nodes.find((n) => n.id === node.parentId)!) : 0);
  return [...graph.nodes]
    .sort((a, b) => depth(a) - depth(b))
    .map((node) => {
      const box = bounds(node.id);
      const parent = node.parentId ? bounds(node.parentId) : { x: 0, y: 0 };
      return { ...node, x: box.x - parent.x, y: box.y - parent.y, width: box.width, height: box.height };
    });
}
