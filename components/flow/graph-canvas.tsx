'use client';

// The only place that renders a graph with @xyflow/react (ARCHITECTURE.md). It draws nodes that a
// pure layout already positioned (components/topology-map/layout.ts); each node is a real
// <button>, so the graph works with the keyboard and has accessible names.
import { Background, Controls, Handle, MiniMap, Position, ReactFlow, useReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo } from 'react';
import { weightColor, type LayoutEdge, type LayoutNode } from '@/components/topology-map/layout';
import styles from './graph-canvas.module.css';

type Data = { node: LayoutNode; onActivate: (node: LayoutNode) => void };
type GraphNode = Node<Data, 'box'>;

export function degradationMark(level: number | null): string | null {
  return level && level > 0 ? `L${level}` : null;
}

const BoxNode = memo(function BoxNode({ data }: NodeProps<GraphNode>) {
  const { node, onActivate } = data;
  const deg = degradationMark(node.degradation);
  const breaker = node.breaker === 'open' || node.breaker === 'half-open' ? node.breaker : null;
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className={styles.handle} />
      <button
        type="button"
        className={`${styles.node} ${node.kind === 'instance' ? '' : styles.group} nodrag nopan`}
        style={{ background: weightColor(node.weight) }}
        aria-label={node.ariaLabel}
        aria-expanded={node.toggleable ? node.expanded : undefined}
        title={node.ariaLabel}
        onClick={() => onActivate(node)}
      >
        <span className={styles.label}>{node.label}</span>
        <span className={styles.detail}>
          {node.weight === null ? 'no telemetry' : `${node.kind === 'instance' ? 'weight' : 'avg'} ${Math.round(node.weight)}`} · {node.detail}
        </span>
        {deg || breaker ? (
          <span className={styles.marks} aria-hidden="true">
            {deg ? <span className={styles.mark}>{deg}</span> : null}
            {breaker ? <span className={`${styles.mark} ${breaker === 'open' ? styles.breakerOpen : styles.breakerHalf}`}>{breaker === 'open' ? '⊘' : '◐'}</span> : null}
          </span>
        ) : null}
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} className={styles.handle} />
    </>
  );
});

const nodeTypes = { box: BoxNode };

/** Fits the view again when the graph's shape changes (expand/collapse), not on every tick. */
function FitOnChange({ fitKey }: { fitKey: string }) {
  const flow = useReactFlow();
  useEffect(() => {
    const t = setTimeout(() => void flow.fitView({ padding: 0.1, duration: 200 }), 0);
    return () => clearTimeout(t);
  }, [fitKey, flow]);
  return null;
}

export function GraphCanvas({
  nodes,
  edges,
  onActivate,
  fitKey,
  label,
}: {
  nodes: readonly LayoutNode[];
  edges: readonly LayoutEdge[];
  onActivate: (node: LayoutNode) => void;
  /** Changes when the set of nodes changes; the view is fitted again then. */
  fitKey: string;
  label: string;
}) {
  const flowNodes = useMemo<GraphNode[]>(
    () =>
      nodes.map((n) => ({
        id: n.id,
        type: 'box',
        position: { x: n.x, y: n.y },
        width: n.width,
        height: n.height,
        data: { node: n, onActivate },
        draggable: false,
        connectable: false,
        selectable: false,
      })),
    [nodes, onActivate],
  );
  const flowEdges = useMemo<Edge[]>(() => edges.map((e) => ({ id: e.id, source: e.source, target: e.target, focusable: false, selectable: false })), [edges]);
  const colorById = useMemo(() => new Map(nodes.map((n) => [n.id, weightColor(n.weight)])), [nodes]);

  return (
    <div className={styles.canvas} role="group" aria-label={label}>
      <ReactFlow
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        colorMode="dark"
        fitView
        fitViewOptions={{ padding: 0.1 }}
        minZoom={0.05}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        onlyRenderVisibleElements={nodes.length > 500}
      >
        <FitOnChange fitKey={fitKey} />
        <Background />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeColor={(n) => colorById.get(n.id) ?? '#555'} ariaLabel="Topology overview map" />
      </ReactFlow>
    </div>
  );
}
