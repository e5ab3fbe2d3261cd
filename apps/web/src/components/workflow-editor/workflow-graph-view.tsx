'use client';
// The editor's graph (React Flow): a node per step, laid out top to bottom by dagre; map steps are boxes
// around their inner steps, steps with errors are outlined red. Loaded with next/dynamic (ssr: false).
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo } from 'react';
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { cn } from '@/components/ui/cn';
import { layoutWorkflowGraph, type GraphNode, type WorkflowGraph } from '@/format/workflow-graph';

// A mapped copy of GraphNode: React Flow wants node data indexable, which an interface is not.
type StepData = { [K in keyof GraphNode]: GraphNode[K] } & { errorCount: number };
type StepNode = Node<StepData>;

const KIND_STYLE: Record<GraphNode['kind'], string> = {
  start: 'bg-zinc-900 text-white',
  end: 'bg-zinc-900 text-white',
  join: 'bg-zinc-100 text-zinc-600',
  tool: 'bg-white',
  wait: 'bg-amber-50/60',
  map: 'bg-white',
  parallel: 'bg-sky-50/60',
  choice: 'bg-violet-50/60',
  unknown: 'bg-zinc-50',
};

const KIND_TAG: Partial<Record<GraphNode['kind'], string>> = {
  tool: 'text-indigo-700 bg-indigo-50',
  wait: 'text-amber-800 bg-amber-100',
  map: 'text-emerald-800 bg-emerald-50',
  parallel: 'text-sky-800 bg-sky-100',
  choice: 'text-violet-800 bg-violet-100',
  unknown: 'text-zinc-700 bg-zinc-100',
};

const testAttributes = (data: StepData) => ({
  'data-testid': 'graph-node',
  'data-kind': data.kind,
  'data-step-path': data.path ?? undefined,
  'data-has-error': data.errorCount > 0 || undefined,
});

function StepNodeView({ data }: NodeProps<StepNode>) {
  return (
    <div
      className={cn(
        'flex h-full w-full flex-col justify-center rounded-lg border px-3 py-2 text-left shadow-xs',
        KIND_STYLE[data.kind],
        data.errorCount ? 'border-red-500 ring-2 ring-red-200' : 'border-zinc-300',
        data.isFallback && 'border-dashed',
      )}
      title={data.errorCount ? `${data.errorCount} problem${data.errorCount === 1 ? '' : 's'} in this step` : undefined}
      {...testAttributes(data)}
    >
      <Handle type="target" position={Position.Top} className="!size-1.5 !border-0 !bg-zinc-400" />
      <div className="flex items-center gap-1.5">
        <span className={cn('rounded px-1 py-px text-[10px] font-semibold uppercase', KIND_TAG[data.kind])}>{data.kind}</span>
        <code className="truncate font-mono text-xs font-semibold text-zinc-900">{data.title}</code>
        {data.errorCount > 0 && (
          <span className="ml-auto rounded-full bg-red-600 px-1.5 text-[10px] font-semibold text-white">{data.errorCount}</span>
        )}
      </div>
      <p className="mt-0.5 truncate text-[11px] text-zinc-600">
        {data.detail}
        {data.hasCatchValue && <span className="text-amber-700"> · catch → value</span>}
      </p>
      <Handle type="source" position={Position.Bottom} className="!size-1.5 !border-0 !bg-zinc-400" />
    </div>
  );
}

function TerminalNodeView({ data }: NodeProps<StepNode>) {
  return (
    <div
      className={cn(
        'flex h-full w-full items-center justify-center rounded-full text-xs font-semibold',
        KIND_STYLE[data.kind],
        data.errorCount > 0 && 'ring-2 ring-red-400',
      )}
      title={data.detail || undefined}
      {...testAttributes(data)}
    >
      {data.kind !== 'start' && <Handle type="target" position={Position.Top} className="!size-1.5 !border-0 !bg-zinc-400" />}
      {data.kind === 'join' ? 'join' : data.title}
      {data.kind !== 'end' && <Handle type="source" position={Position.Bottom} className="!size-1.5 !border-0 !bg-zinc-400" />}
    </div>
  );
}

/** The frame around a map's node and the steps it runs for each item. */
function GroupNodeView({ data }: NodeProps<StepNode>) {
  return (
    <div
      className={cn(
        'h-full w-full rounded-xl border-2 border-dashed bg-emerald-50/40',
        data.errorCount ? 'border-red-300' : 'border-emerald-300',
      )}
      title={`${data.title}: ${data.detail}`}
      {...testAttributes(data)}
      data-kind="group"
    />
  );
}

const NODE_TYPES = { step: StepNodeView, terminal: TerminalNodeView, mapGroup: GroupNodeView };

export interface WorkflowGraphViewProps {
  graph: WorkflowGraph;
  /** Problems per node id. */
  errorCounts: ReadonlyMap<string, number>;
  /** A click on a step: the editor moves its cursor there. */
  onSelectStep?(path: string): void;
}

function GraphCanvas({ graph, errorCounts, onSelectStep }: WorkflowGraphViewProps) {
  const { fitView } = useReactFlow();
  const { nodes, edges } = useMemo(() => {
    const nodes: StepNode[] = layoutWorkflowGraph(graph).map((n) => ({
      id: n.id,
      type: n.isGroup ? 'mapGroup' : n.kind === 'start' || n.kind === 'end' || n.kind === 'join' ? 'terminal' : 'step',
      position: { x: n.x, y: n.y },
      ...(n.parentId ? { parentId: n.parentId, extent: 'parent' as const } : {}),
      data: { ...n, errorCount: errorCounts.get(n.id) ?? 0 },
      style: { width: n.width, height: n.height },
      draggable: false,
      connectable: false,
      ...(n.isGroup ? { selectable: false } : {}),
    }));
    const edges: Edge[] = graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      type: 'smoothstep',
      ...(e.label ? { label: e.label } : {}),
      labelStyle: { fontSize: 10, fontFamily: 'var(--font-mono)', fill: e.isFallback ? '#b45309' : '#3f3f46' },
      labelBgStyle: { fill: '#ffffff' },
      style: { stroke: e.isFallback ? '#d97706' : '#a1a1aa', strokeWidth: 1.5, ...(e.isFallback ? { strokeDasharray: '5 4' } : {}) },
      markerEnd: { type: MarkerType.ArrowClosed, color: e.isFallback ? '#d97706' : '#a1a1aa', width: 16, height: 16 },
      focusable: false,
    }));
    return { nodes, edges };
  }, [graph, errorCounts]);

  // Re-frame when the shape changes (a step added or removed), not on every keystroke.
  const shape = nodes.map((n) => n.id).join('|');
  useEffect(() => {
    const frame = requestAnimationFrame(() => void fitView({ padding: 0.12, maxZoom: 1.1 }));
    return () => cancelAnimationFrame(frame);
  }, [shape, fitView]);

  return (
    <ReactFlow<StepNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      fitView
      fitViewOptions={{ padding: 0.12, maxZoom: 1.1 }}
      minZoom={0.2}
      nodesDraggable={false}
      nodesConnectable={false}
      edgesFocusable={false}
      onNodeClick={(_, node) => {
        if (node.data.path && onSelectStep) onSelectStep(node.data.path);
      }}
    >
      <Background gap={16} size={1} color="#e4e4e7" />
      <Controls showInteractive={false} position="bottom-right" />
    </ReactFlow>
  );
}

export default function WorkflowGraphView(props: WorkflowGraphViewProps) {
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}
