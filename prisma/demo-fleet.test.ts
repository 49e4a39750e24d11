import { describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, demoFleet, demoFleetOfSize, fleetSize } from './demo-fleet';

const clustersOf = (f: ReturnType<typeof demoFleetOfSize>) => f.regions.flatMap((r) => r.zones.flatMap((z) => z.clusters));
const instancesOf = (f: ReturnType<typeof demoFleetOfSize>, service: string, version?: string) =>
  f.services.find((s) => s.name === service)!.placement.reduce((n, p) => n + Object.entries(p.versions).reduce((m, [v, c]) => m + (version && v !== version ? 0 : c), 0), 0);

describe('the demo fleet', () => {
  it('is by default the demo every guide and test describes: 2 regions, 5 zones, 10 clusters, 84 instances', () => {
    expect(DEMO_INSTANCES).toBe(84);
    expect(demoFleetOfSize()).toEqual(demoFleet);
    expect(fleetSize(demoFleet)).toBe(84);
    expect(demoFleet.regions.map((r) => [r.name, r.zones.map((z) => `${z.name}:${z.clusters.join(',')}`)])).toEqual([
      ['eu-west', ['eu-west-a:euw-a-1,euw-a-2', 'eu-west-b:euw-b-1,euw-b-2', 'eu-west-c:euw-c-1,euw-c-2']],
      ['us-east', ['us-east-a:use-a-1,use-a-2', 'us-east-b:use-b-1,use-b-2']],
    ]);
    expect(demoFleet.services.map((s) => [s.name, instancesOf(demoFleet, s.name, 'v1'), instancesOf(demoFleet, s.name, 'v2')])).toEqual([
      ['order-api', 25, 5],
      ['payment-svc', 20, 2],
      ['inventory-svc', 20, 2],
      ['edge-gateway', 10, 0],
    ]);
    // The payment and inventory canaries: one v2 each in euw-a-1 and use-a-1.
    for (const name of ['payment-svc', 'inventory-svc']) {
      const s = demoFleet.services.find((x) => x.name === name)!;
      expect(s.placement.filter((p) => p.versions.v2).map((p) => p.cluster)).toEqual(['euw-a-1', 'use-a-1']);
    }
    expect(demoFleet.services.find((s) => s.name === 'edge-gateway')!.routing).toBeUndefined();
  });

  it.each([100, 1000, 5000, 10_000, 20_000])('at %i instances: about that many, the same services, routing and canaries', (n) => {
    const f = demoFleetOfSize(n);
    expect(Math.abs(fleetSize(f) - n)).toBeLessThanOrEqual(4);
    expect(f.services.map((s) => [s.name, s.routing, s.labels])).toEqual(demoFleet.services.map((s) => [s.name, s.routing, s.labels]));
    expect(instancesOf(f, 'payment-svc', 'v2')).toBe(2);
    expect(instancesOf(f, 'inventory-svc', 'v2')).toBe(2);
    // order-api keeps its v1/v2 mix: v2 is a third of the clusters that run it beside v1.
    expect(instancesOf(f, 'order-api', 'v2')).toBeGreaterThan(0);
    const clusters = clustersOf(f);
    expect(new Set(clusters).size).toBe(clusters.length);
    for (const c of clusters) expect(c).toMatch(/^[a-z]{3}-[a-c]-\d+$/);
    for (const r of f.regions) for (const z of r.zones) expect(z.name).toMatch(new RegExp(`^${r.name}-[a-c]$`));
    // Every cluster runs every service (the call graph is served in each).
    for (const s of f.services) expect(s.placement.map((p) => p.cluster)).toEqual(clusters);
    // Readable at scale: clusters grow with the fleet, and none holds an unreadable crowd.
    expect(clusters.length).toBeGreaterThan(10);
    expect(fleetSize(f) / clusters.length).toBeLessThan(150);
  });

  it('keeps the first clusters of a larger fleet where the demo has them', () => {
    const big = clustersOf(demoFleetOfSize(10_000));
    expect(big.slice(0, 2)).toEqual(['euw-a-1', 'euw-a-2']);
    expect(big).toContain('use-a-1');
    expect(demoFleetOfSize(10_000).regions.map((r) => r.name).slice(0, 2)).toEqual(['eu-west', 'us-east']);
  });

  it('rounds a fleet smaller than one cluster up to one cluster of every service', () => {
    const tiny = demoFleetOfSize(1);
    expect(clustersOf(tiny)).toEqual(['euw-a-1']);
    expect(fleetSize(tiny)).toBe(10);
    expect(tiny.services.map((s) => instancesOf(tiny, s.name))).toEqual([3, 3, 3, 1]);
  });
});
