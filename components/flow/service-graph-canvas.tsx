'use client';

// The service graph drawn with @xyflow/react: one node per service at the position the layered
// layout gave it (components/topology-map/service-graph/elk-layout.ts), one edge per declared call
// with its figures as an HTML label. Nodes are real <button>s (keyboard, accessible names). Colours
// are the theme's CSS variables, so light and dark both read.
import {
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  Handle,
  Position,
  ReactFlow,
  getBezierPath,
  useReactFlow,
  useStore,
  useStoreApi,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { GraphEdge, GraphNode } from '@/server/domain/topology/service-graph';
import { edgeFigures, formatPercent, nodeAriaLabel, nodeFigureLines, nodeMarks, nodeStatus } from '@/components/topology-map/service-graph/format';
import { NODE_HEIGHT, NODE_WIDTH } from '@/components/topology-map/service-graph/elk-layout';
import styles from './service-graph-canvas.module.css';

export interface PlacedService {
  id: string;
  x: number;
  y: number;
  node: GraphNode;
  dimmed: boolean;
  highlighted: boolean;
  selected: boolean;
}
export interface PlacedCall {
  id: string;
  source: string;
  target: string;
  edge: GraphEdge;
  dimmed: boolean;
}

type ServiceData = { s: PlacedService; onSelect: (id: string) => void; onOpen: (id: string) => void };
type ServiceNodeT = Node<ServiceData, 'service'>;
type CallEdgeT = Edge<{ c: PlacedCall }, 'call'>;

const healthClass = { ok: styles.ok, warn: styles.warn, bad: styles.bad };

const ServiceNode = memo(function ServiceNode({ data }: NodeProps<ServiceNodeT>) {
  const { s, onSelect, onOpen } = data;
  const n = s.node;
  const marks = nodeMarks(n);
  const lines = nodeFigureLines(n);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    // Enter on the selected service opens its page; on another one it selects it first.
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (s.selected) onOpen(s.id);
    else onSelect(s.id);
  };
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className={styles.handle} />
      <button
        type="button"
        className={`${styles.node} ${healthClass[n.health]} ${s.dimmed ? styles.dimmed : ''} ${s.highlighted ? styles.highlighted : ''} ${s.selected ? styles.selected : ''} nodrag nopan`}
        aria-label={nodeAriaLabel(n)}
        aria-pressed={s.selected}
        data-service={n.name}
        data-health={n.health}
        data-dimmed={s.dimmed ? 'true' : undefined}
        data-highlighted={s.highlighted ? 'true' : undefined}
        onClick={() => onSelect(s.id)}
        onKeyDown={onKeyDown}
      >
        <span className={styles.head}>
          <span className={styles.name}>{n.name}</span>
          {n.layer ? <span className={styles.layer}>{n.layer}</span> : null}
        </span>
        <span className={styles.figures}>{lines[0]}</span>
        {lines[1] ? <span className={styles.figures}>{lines[1]}</span> : null}
        <span className={styles.status}>{nodeStatus(n)}</span>
        {marks.length ? (
          <span className={styles.marks}>
            {marks.map((m) => (
              <span key={m.key} className={`${styles.mark} ${styles[m.tone]}`} title={m.words}>
                {m.text}
              </span>
            ))}
          </span>
        ) : null}
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} className={styles.handle} />
    </>
  );
});

function CallEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data }: EdgeProps<CallEdgeT>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!data) return null;
  const e = data.c.edge;
  const canary = e.canaryVersion;
  const split = e.versions.filter((v) => v.share > 0);
  return (
    <>
      <BaseEdge id={id} path={path} className={`${styles.edgePath} ${data.c.dimmed ? styles.dimmed : ''} ${canary ? styles.canaryPath : ''}`} />
      <EdgeLabelRenderer>
        <div
          className={`${styles.edgeLabel} ${data.c.dimmed ? styles.dimmed : ''} nodrag nopan`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          title={e.note}
          data-edge={data.c.id}
        >
          <span>{edgeFigures(e).replace(' · ', '\n')}</span>
          {split.length ? (
            <span className={styles.split}>
              {split.map((v, i) => (
                <span key={v.version} className={v.version === canary ? styles.canary : undefined}>
                  {i > 0 ? ' · ' : ''}
                  {v.version} {formatPercent(v.share * 100)}
                </span>
              ))}
            </span>
          ) : null}
          {e.apportioned ? <span className={styles.note}>share by callers&apos; rates</span> : null}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

const nodeTypes = { service: ServiceNode };
const edgeTypes = { call: CallEdge };

/** Fits the graph when its structure changes, never on a tick (so nodes do not move under the eye). */
function FitOnStructure({ fitKey }: { fitKey: string }) {
  const flow = useReactFlow();
  useEffect(() => {
    const t = setTimeout(() => void flow.fitView({ padding: 0.06, minZoom: MIN_FIT_ZOOM, maxZoom: 1 }), 0);
    return () => clearTimeout(t);
  }, [fitKey, flow]);
  return null;
}

/**
 * Refits when the canvas changes size (the details panel opens or closes beside it, the window
 * resizes): the pane keeps its viewport on a resize, so opening the panel pushed the leftmost
 * service (edge-gateway) off the canvas. The first measurement is FitOnStructure's.
 */
function RefitOnResize() {
  const flow = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const last = useRef<{ width: number; height: number } | null>(null);
  useEffect(() => {
    if (!width || !height) return;
    const before = last.current;
    last.current = { width, height };
    if (!before || (before.width === width && before.height === height)) return;
    void flow.fitView({ padding: 0.06, minZoom: RESIZE_MIN_ZOOM, maxZoom: 1 });
  }, [width, height, flow]);
  return null;
}

/**
 * Centres a node: a search match always; the focused service only when it is not wholly on the
 * canvas (a link that focuses it), since a click selects a service the user already sees, and
 * centring it then moved its callers off the canvas.
 */
function CentreOn({ target, onlyIfHidden, nodes }: { target: string | null; onlyIfHidden: boolean; nodes: readonly PlacedService[] }) {
  const flow = useReactFlow();
  const store = useStoreApi();
  const at = target ? nodes.find((n) => n.id === target) : undefined;
  const x = at?.x;
  const y = at?.y;
  useEffect(() => {
    if (x === undefined || y === undefined) return;
    const t = setTimeout(() => {
      const { width, height } = store.getState();
      const vp = flow.getViewport();
      const [left, top] = [x * vp.zoom + vp.x, y * vp.zoom + vp.y];
      const shown = left >= 0 && top >= 0 && left + NODE_WIDTH * vp.zoom <= width && top + NODE_HEIGHT * vp.zoom <= height;
      if (onlyIfHidden && shown) return;
      void flow.setCenter(x + NODE_WIDTH / 2, y + NODE_HEIGHT / 2, { zoom: Math.max(flow.getZoom(), MIN_FIT_ZOOM), duration: 250 });
    }, 50);
    return () => clearTimeout(t);
  }, [target, onlyIfHidden, x, y, flow, store]);
  return null;
}

/** Text in nodes and labels is ≥ 15 px, so at this zoom it still renders at ≥ 12 px. */
export const MIN_FIT_ZOOM = 0.8;
/**
 * The first fit's options, one object for the life of the page: React Flow copies this prop into
 * its store whenever its identity changes, and the store's options are the ones a queued fitView
 * (resolved at the next node update) is done with. An object made per render overwrote the
 * resize refit's lower minZoom on the next tick's render, so the refit beside the details panel
 * fitted at 0.8 and pushed edge-gateway off the canvas (a CI run, with the lab's fifth service).
 */
const FIRST_FIT = { padding: 0.06, minZoom: MIN_FIT_ZOOM, maxZoom: 1 } as const;
/**
 * A refit after a resize may go below that to keep every service on the narrower canvas (the
 * demo's 3 layers beside the 340 px panel at 1440 px need ~0.68): the panel beside it carries the
 * selected service's figures at full size.
 */
const RESIZE_MIN_ZOOM = 0.5;

export function ServiceGraphCanvas({
  services,
  calls,
  fitKey,
  centreOn,
  centreOnlyIfHidden = false,
  label,
  onSelect,
  onOpen,
}: {
  services: readonly PlacedService[];
  calls: readonly PlacedCall[];
  fitKey: string;
  centreOn: string | null;
  /** Centre `centreOn` only when it is not wholly on the canvas (a focused service, not a search match). */
  centreOnlyIfHidden?: boolean;
  label: string;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
}) {
  const nodes: ServiceNodeT[] = services.map((s) => ({
    id: s.id,
    type: 'service',
    position: { x: s.x, y: s.y },
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    data: { s, onSelect, onOpen },
    draggable: false,
    connectable: false,
    selectable: false,
  }));
  const edges: CallEdgeT[] = calls.map((c) => ({ id: c.id, source: c.source, target: c.target, type: 'call', data: { c }, focusable: false, selectable: false }));
  return (
    <div className={styles.canvas} role="group" aria-label={label}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        fitView
        fitViewOptions={FIRST_FIT}
        minZoom={0.2}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        proOptions={{ hideAttribution: false }}
      >
        <FitOnStructure fitKey={fitKey} />
        <RefitOnResize />
        <CentreOn target={centreOn} onlyIfHidden={centreOnlyIfHidden} nodes={services} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
