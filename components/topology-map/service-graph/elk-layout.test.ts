import { describe, expect, it } from 'vitest';
import { NODE_WIDTH, layoutStructure, structureKey } from './elk-layout';

const demo = {
  nodes: ['payment-svc', 'edge-gateway', 'inventory-svc', 'order-api'],
  edges: [
    { id: 'edge-gateway->order-api', source: 'edge-gateway', target: 'order-api' },
    { id: 'order-api->inventory-svc', source: 'order-api', target: 'inventory-svc' },
    { id: 'order-api->payment-svc', source: 'order-api', target: 'payment-svc' },
  ],
};

// elkjs (1.5 MB) loads on the first layout: slow on a busy machine, hence the generous timeouts.
const SLOW = 60_000;

describe('service graph layout', () => {
  it('puts callers left of their callees, callees of one caller in one column', async () => {
    const p = await layoutStructure(demo);
    const x = (id: string) => p.get(id)!.x;
    expect(x('edge-gateway') + NODE_WIDTH).toBeLessThan(x('order-api'));
    expect(x('order-api') + NODE_WIDTH).toBeLessThan(x('payment-svc'));
    expect(x('inventory-svc')).toBe(x('payment-svc'));
    expect(p.get('inventory-svc')!.y).not.toBe(p.get('payment-svc')!.y);
  }, SLOW);

  it('gives the same positions for the same structure in any order (nodes never jump between ticks)', async () => {
    const shuffled = { nodes: [...demo.nodes].reverse(), edges: [...demo.edges].reverse() };
    expect(structureKey(shuffled)).toBe(structureKey(demo));
    expect([...(await layoutStructure(shuffled))].sort()).toEqual([...(await layoutStructure(demo))].sort());
  }, SLOW);

  it('changes the key when a call is added', () => {
    const more = { ...demo, edges: [...demo.edges, { id: 'edge-gateway->payment-svc', source: 'edge-gateway', target: 'payment-svc' }] };
    expect(structureKey(more)).not.toBe(structureKey(demo));
  });

  it('places services without calls too', async () => {
    const p = await layoutStructure({ nodes: ['a', 'b'], edges: [] });
    expect([...p.keys()].sort()).toEqual(['a', 'b']);
  }, SLOW);
});
