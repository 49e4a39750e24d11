// The service graph's layered layout (elkjs): callers left, callees right. Computed from the
// graph's structure only (node ids and edges), never from the figures, so a tick that changes
// traffic does not move a node; the caller memoises it by structureKey.

export const NODE_WIDTH = 250;
/** Room for a two-line status ("warning · 1 of 2,502 breakers open") above two rows of marks. */
export const NODE_HEIGHT = 184;
/** Room between layers for the edge labels (three lines of figures). */
const LAYER_GAP = 210;
const NODE_GAP = 44;

export interface Structure {
  nodes: readonly string[];
  edges: ReadonlyArray<{ id: string; source: string; target: string }>;
}

export type Positions = ReadonlyMap<string, { x: number; y: number }>;

/** The same string for the same structure in any order; it changes when a node or edge does. */
export function structureKey(s: Structure): string {
  return `${[...s.nodes].sort().join(',')}|${s.edges
    .map((e) => `${e.source}>${e.target}`)
    .sort()
    .join(',')}`;
}

type Elk = { layout: (graph: object) => Promise<{ children?: Array<{ id: string; x?: number; y?: number }> }> };
let elk: Promise<Elk> | null = null;

// elkjs is ~1.5 MB: loaded on first use, in its own chunk, so no other page pays for it.
function loadElk(): Promise<Elk> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default() as Elk);
  return elk;
}

export async function layoutStructure(s: Structure): Promise<Positions> {
  const nodes = [...s.nodes].sort();
  const known = new Set(nodes);
  const graph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
      'elk.spacing.nodeNode': String(NODE_GAP),
      'elk.spacing.componentComponent': String(NODE_GAP),
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    },
    children: nodes.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: [...s.edges]
      .filter((e) => known.has(e.source) && known.has(e.target))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const out = await (await loadElk()).layout(graph);
  return new Map((out.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
