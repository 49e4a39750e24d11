'use client';

// A state machine drawn with @xyflow/react (the only other graph renderer, beside service-graph-canvas):
// states in a row, the current one lit; edges that move forward (towards a later state) arc
// above the row, edges back arc below, each skip a little higher so parallel arcs do not overlap.
// Every edge is labelled with how often it fired; clicking an edge (or its entry in the accessible
// list the page renders) selects it. Loaded on demand by state-diagram.tsx (its own chunk).
import { Handle, MarkerType, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { DiagramInput } from './state-diagram';
import styles from './state-diagram.module.css';

type StateData = { label: string; current: boolean };

function StateNode({ data }: NodeProps<Node<StateData>>) {
  return (
    <div className={`${styles.state} ${data.current ? styles.current : ''}`}>
      <Handle type="source" id="top-out" position={Position.Top} className={styles.handle} isConnectable={false} />
      <Handle type="target" id="top-in" position={Position.Top} className={styles.handle} isConnectable={false} />
      {data.label}
      <Handle type="source" id="bottom-out" position={Position.Bottom} className={styles.handle} isConnectable={false} />
      <Handle type="target" id="bottom-in" position={Position.Bottom} className={styles.handle} isConnectable={false} />
    </div>
  );
}

const nodeTypes = { state: StateNode };
const GAP = 240;

export default function StateDiagramFlow({ states, edges, current, selected, onSelect }: DiagramInput) {
  const index = useMemo(() => new Map(states.map((s, i) => [s.id, i])), [states]);
  const nodes: Node<StateData>[] = useMemo(
    () =>
      states.map((s, i) => ({
        id: s.id,
        type: 'state',
        position: { x: i * GAP, y: 0 },
        data: { label: `${s.label}${s.count !== undefined ? ` · ${s.count}` : ''}`, current: s.id === current },
        draggable: false,
        connectable: false,
        selectable: false,
        ariaLabel: `State ${s.label}${s.id === current ? ' (current)' : ''}`,
      })),
    [states, current],
  );
  const flowEdges: Edge[] = useMemo(
    () =>
      edges.map((e) => {
        const skip = (index.get(e.to) ?? 0) - (index.get(e.from) ?? 0);
        const side = skip > 0 ? 'top' : 'bottom';
        return {
          id: e.id,
          source: e.from,
          target: e.to,
          sourceHandle: `${side}-out`,
          targetHandle: `${side}-in`,
          label: e.label,
          type: 'smoothstep',
          pathOptions: { offset: 18 + 26 * (Math.abs(skip) - 1), borderRadius: 10 },
          animated: e.id === selected,
          markerEnd: { type: MarkerType.ArrowClosed, color: e.id === selected ? '#f7c96b' : '#8b95a7' },
          className: `${styles.edge} ${e.id === selected ? styles.selectedEdge : ''}`,
          labelStyle: { fill: 'var(--text)', fontWeight: 600 },
          labelBgStyle: { fill: 'var(--surface)', stroke: 'var(--border)' },
          labelBgPadding: [5, 3] as [number, number],
          labelBgBorderRadius: 4,
        };
      }),
    [edges, selected, index],
  );
  return (
    <div className={styles.canvas}>
      <ReactFlow
        nodes={nodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        nodesDraggable={false}
        nodesConnectable={false}
        onEdgeClick={(_, e) => onSelect(e.id)}
        proOptions={{ hideAttribution: true }}
        minZoom={0.3}
      />
    </div>
  );
}
