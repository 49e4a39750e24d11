import { describe, expect, it } from 'vitest';
import type { ClusterAgg, TopologyInstance, TopologyMap } from '@/server/services/topology/topology-map';
import { layoutTopology, parseExpand, toggleExpand, weightColor, type LayoutNode } from './layout';

/** The per-cluster aggregate the server computes (server/services/topology-map.ts). */
function aggregate(instances: readonly TopologyInstance[]): ClusterAgg {
  const w = instances.flatMap((i) => (i.effectiveWeight === null ? [] : [i.effectiveWeight]));
  const d = instances.flatMap((i) => (i.degradation === null ? [] : [i.degradation]));
  return {
    count: instances.length,
    avgWeight: w.length ? w.reduce((a, b) => a + b, 0) / w.length : null,
    minWeight: w.length ? Math.min(...w) : null,
    maxDegradation: d.length ? Math.max(...d) : null,
    openBreakers: instances.filter((i) => i.breaker === 'open').length,
    down: instances.filter((i) => i.up === false).length,
  };
}

/** A fleet of regions × zones × clusters with `perCluster` instances each, weights spread 0..100. */
function fleet(regions: number, zones: number, clusters: number, perCluster: number): TopologyMap {
  let k = 0;
  return {
    tickId: '1',
    at: '2026-11-22T10:00:00.000Z',
    regions: Array.from({ length: regions }, (_, r) => ({
      id: `r${r}`,
      name: `region-${r}`,
      zones: Array.from({ length: zones }, (_, z) => ({
        id: `r${r}z${z}`,
        name: `zone-${r}-${z}`,
        clusters: Array.from({ length: clusters }, (_, c) => {
          const instances: TopologyInstance[] = Array.from({ length: perCluster }, (_, i) => {
            k++;
            return {
              id: `i${k}`,
              name: `svc-${r}-${z}-${c}-v1-${i + 1}`,
              service: 'svc',
              appVersion: 'v1',
              adminState: 'ready',
              effectiveWeight: k % 101,
              targetWeight: k % 101,
              degradation: k % 4,
              breaker: k % 7 === 0 ? 'open' : 'closed',
              up: true,
            };
          });
          return { id: `r${r}z${z}c${c}`, name: `cluster-${r}-${z}-${c}`, instances, agg: aggregate(instances) };
        }),
      })),
    })),
  };
}

function overlapping(nodes: readonly LayoutNode[]): Array<[string, string]> {
  // Sweep by x so the 10,000-node case stays fast; boxes touching at an edge do not overlap.
  const sorted = [...nodes].sort((a, b) => a.x - b.x);
  const found: Array<[string, string]> = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length && sorted[j]!.x < a.x + a.width; j++) {
      const b = sorted[j]!;
      if (a.y < b.y + b.height && b.y < a.y + a.height) found.push([a.id, b.id]);
    }
  }
  return found;
}

function expectValidEdges(l: ReturnType<typeof layoutTopology>) {
  const ids = new Set(l.nodes.map((n) => n.id));
  expect(ids.size).toBe(l.nodes.length);
  for (const e of l.edges) {
    expect(ids.has(e.source), e.id).toBe(true);
    expect(ids.has(e.target), e.id).toBe(true);
  }
}

describe('layoutTopology', () => {
  it('shows every instance of a demo-sized fleet without overlaps, parents left of children', () => {
    const map = fleet(2, 2, 2, 8);
    const l = layoutTopology(map, new Set());
    expect(l.nodes.filter((n) => n.kind === 'instance')).toHaveLength(64);
    expect(overlapping(l.nodes)).toEqual([]);
    expectValidEdges(l);
    const byId = new Map(l.nodes.map((n) => [n.id, n]));
    for (const e of l.edges) expect(byId.get(e.source)!.x).toBeLessThan(byId.get(e.target)!.x);
    expect(l.edges).toHaveLength(4 + 8 + 64);
    // A small fleet shows everything, so clusters are not toggles.
    expect(l.nodes.filter((n) => n.kind === 'cluster').every((n) => n.expanded && !n.toggleable)).toBe(true);
  });

  it('names nodes for screen readers', () => {
    const map = fleet(1, 1, 1, 2);
    const l = layoutTopology(map, new Set());
    const inst = l.nodes.find((n) => n.kind === 'instance')!;
    expect(inst.ariaLabel).toBe('Instance svc-0-0-0-v1-1, weight 1, L1, breaker closed');
    expect(inst.href).toBe('/instances/svc-0-0-0-v1-1');
    expect(l.nodes.find((n) => n.kind === 'cluster')!.ariaLabel).toBe('Cluster cluster-0-0-0, 2 instances, min weight 1');
  });

  it('keeps a 10,000-instance fleet collapsed to cluster aggregates', () => {
    const map = fleet(4, 3, 4, 209); // 48 clusters, 10,032 instances
    const l = layoutTopology(map, new Set());
    expect(l.nodes.length).toBeLessThan(300);
    expect(l.nodes.some((n) => n.kind === 'instance')).toBe(false);
    expect(l.nodes.filter((n) => n.kind === 'cluster').every((n) => n.expanded === false && n.toggleable)).toBe(true);
    expect(overlapping(l.nodes)).toEqual([]);
    expectValidEdges(l);
  });

  it('expands only the chosen clusters of a 10,000-instance fleet, still without overlaps', () => {
    const map = fleet(4, 3, 4, 209);
    const chosen = ['r0z0c0', 'r1z2c3', 'r3z2c3'];
    const l = layoutTopology(map, new Set(chosen));
    expect(l.nodes.filter((n) => n.kind === 'instance')).toHaveLength(3 * 209);
    expect(new Set(l.nodes.filter((n) => n.kind === 'cluster' && n.expanded).map((n) => n.refId))).toEqual(new Set(chosen));
    expect(overlapping(l.nodes)).toEqual([]);
    expectValidEdges(l);
  });

  it('lays out empty regions, zones and clusters', () => {
    const map: TopologyMap = {
      tickId: null,
      at: null,
      regions: [
        { id: 'a', name: 'a', zones: [] },
        { id: 'b', name: 'b', zones: [{ id: 'bz', name: 'bz', clusters: [{ id: 'bc', name: 'bc', instances: [], agg: aggregate([]) }] }] },
      ],
    };
    const l = layoutTopology(map, new Set());
    expect(l.nodes).toHaveLength(4);
    expect(overlapping(l.nodes)).toEqual([]);
    expect(l.nodes.find((n) => n.kind === 'cluster')!.ariaLabel).toBe('Cluster bc, 0 instances');
  });
});

describe('weightColor', () => {
  it('runs from red at 0 to green at 100, grey without telemetry', () => {
    expect(weightColor(0)).toMatch(/^hsl\(0,/);
    expect(weightColor(100)).toMatch(/^hsl\(120,/);
    expect(weightColor(150)).toBe(weightColor(100));
    expect(weightColor(null)).not.toBe(weightColor(0));
  });
});

describe('expand parameter', () => {
  it('toggles cluster ids in the comma-separated list', () => {
    expect([...parseExpand(' a,,b ')]).toEqual(['a', 'b']);
    expect(toggleExpand('a,b', 'a')).toBe('b');
    expect(toggleExpand('a', 'c')).toBe('a,c');
    expect(toggleExpand(null, 'c')).toBe('c');
    expect(toggleExpand('c', 'c')).toBe('');
  });
});
