'use client';

// A state machine drawn with @xyflow/react (the only other graph renderer, beside graph-canvas):
// states in a row, the current one lit; every edge labelled with how often it fired. Clicking an
// edge (or its entry in the accessible list the page renders) selects it.
import { MarkerType, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import styles from './state-diagram.module.css';

export interface DiagramInput {
  states: Array<{ id: string; label: string; count?: number }>;
  edges: Array<{ id: string; from: string; to: string; label: string }>;
  current: string | null;
  selected: string | null;
  onSelect: (edgeId: string) => void;
}

export function StateDiagram({ states, edges, current, selected, onSelect }: DiagramInput) {
  const nodes: Node[] = useMemo(
    () =>
      states.map((s, i) => ({
        id: s.id,
        position: { x: i * 230, y: i % 2 === 0 ? 0 : 120 },
        data: { label: `${s.label}${s.count !== undefined ? ` · ${s.count}` : ''}` },
        className: `${styles.state} ${s.id === current ? styles.current : ''}`,
        draggable: false,
        connectable: false,
        ariaLabel: `State ${s.label}${s.id === current ? ' (current)' : ''}`,
      })),
    [states, current],
  );
  const flowEdges: Edge[] = useMemo(
    () =>
      edges.map((e) => ({
        id: e.id,
        source: e.from,
        target: e.to,
        label: e.label,
        type: 'default',
        animated: e.id === selected,
        markerEnd: { type: MarkerType.ArrowClosed },
        className: e.id === selected ? styles.selectedEdge : undefined,
        labelBgPadding: [4, 2] as [number, number],
        labelBgBorderRadius: 4,
      })),
    [edges, selected],
  );
  return (
    <div className={styles.canvas}>
      <ReactFlow nodes={nodes} edges={flowEdges} fitView fitViewOptions={{ padding: 0.25 }} nodesDraggable={false} nodesConnectable={false} onEdgeClick={(_, e) => onSelect(e.id)} proOptions={{ hideAttribution: true }} minZoom={0.3} />
    </div>
  );
}
