'use client';

// A state machine drawn with @xyflow/react (the only other graph renderer, beside service-graph-canvas):
// states in a row, the current one lit; edges that move forward (towards a later state) arc
// above the row, edges back arc below, each skip a little higher so parallel arcs do not overlap.
// Every edge is labelled with how often it fired; clicking an edge (or its entry in the accessible
// list the page renders) selects it. Loaded on demand by state-diagram.tsx (its own chunk).
import { BaseEdge, getSmoothStepPath, Handle, MarkerType, Position, ReactFlow, type Edge, type EdgeProps, type Node, type NodeProps } from '@xyflow/react';
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

type LaneData = { offset: number; labelShift: number };

/**
 * A smoothstep arc whose label can sit off its midpoint. Every line into or out of a state runs
 * up or down at the state's centre, and the midpoint of an arc over an even number of steps is the
 * centre of the state it skips: the arc that leaves that state on the same lane crossed the label.
 */
function LaneEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, label, labelStyle, labelBgStyle, labelBgPadding, labelBgBorderRadius, data }: EdgeProps<Edge<LaneData>>) {
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 10, offset: data?.offset ?? 18 });
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      label={label}
      labelX={labelX + (data?.labelShift ?? 0)}
      labelY={labelY}
      labelStyle={labelStyle}
      labelShowBg
      labelBgStyle={labelBgStyle}
      labelBgPadding={labelBgPadding}
      labelBgBorderRadius={labelBgBorderRadius}
    />
  );
}

const nodeTypes = { state: StateNode };
const edgeTypes = { lane: LaneEdge };
const GAP = 240;

/** How far an arc's label moves from its midpoint: half a step back towards its source when it skips an even number of steps. */
export function labelShift(skip: number, gap = GAP): number {
  return skip % 2 === 0 ? -Math.sign(skip) * (gap / 2) : 0;
}

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
          type: 'lane',
          data: { offset: 18 + 26 * (Math.abs(skip) - 1), labelShift: labelShift(skip) },
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
        edgeTypes={edgeTypes}
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
