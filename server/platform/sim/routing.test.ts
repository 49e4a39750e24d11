import { describe, expect, it, vi } from 'vitest';
import type { InstanceTelemetry } from '../../domain/model';
import { demoSim, meanOf, runTicks } from './test-fleet';

/** Share of a service's rps that reached instances of `version`, summed over ticks. */
function versionShare(ticks: InstanceTelemetry[][], ids: { service: Set<string>; version: Set<string> }): number {
  let all = 0;
  let v = 0;
  for (const tick of ticks) {
    for (const t of tick) {
      if (!ids.service.has(t.instanceId)) continue;
      all += t.rps!;
      if (ids.version.has(t.instanceId)) v += t.rps!;
    }
  }
  return v / all;
}

function expectNear(actual: number, expected: number, tolerance: number) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(tolerance);
}

async function orderApi(overrides = {}) {
  const s = await demoSim({ spikeProbability: 0, ...overrides });
  const order = s.fleet.instances.filter((i) => i.serviceName === 'order-api');
  const ids = { service: new Set(order.map((i) => i.id)), version: new Set(order.filter((i) => i.appVersion === 'v2').map((i) => i.id)) };
  return { ...s, ids };
}

describe('sim adapter: canary and version routing', () => {
  it('routes 90/10 plus the canary header group to v2', async () => {
    const { sim, at, ids } = await orderApi();
    expect(ids.service.size).toBe(30);
    expect(ids.version.size).toBe(5);
    // 3 % pinned by X-Abtest-Group=v2-canary, then 10 % of the remaining 97 %.
    const expected = 0.03 + 0.97 * 0.1;
    expectNear(versionShare(await runTicks(sim, at, 0, 20), ids), expected, 0.012);
  });

  it('follows the header rule alone, with the configured header mix', async () => {
    const { sim, at, ids } = await orderApi({ headerMix: { 'X-Abtest-Group=v2-canary': 0.25 } });
    await sim.applyServiceRouting('svc:order-api', { versionWeights: { v1: 100 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }] });
    expectNear(versionShare(await runTicks(sim, at, 0, 20), ids), 0.25, 0.015);
    // Without the rule the canary group follows the version weights: v2 gets nothing.
    await sim.applyServiceRouting('svc:order-api', { versionWeights: { v1: 100 }, headerRules: [] });
    expect(versionShare(await runTicks(sim, at, 20, 5), ids)).toBe(0);
  });

  it('routes prefix and regex header rules by the fractions of the default header catalogue', async () => {
    const { sim, at, ids } = await orderApi();
    expect(sim.capabilities().headerMatches).toEqual(['exact', 'prefix', 'regex']);
    // Users whose id ends in 0–4: half of them.
    await sim.applyServiceRouting('svc:order-api', { versionWeights: { v1: 100 }, headerRules: [{ header: 'X-User-Id', equals: '[0-4]$', match: 'regex', version: 'v2' }] });
    expectNear(versionShare(await runTicks(sim, at, 0, 20), ids), 0.5, 0.03);
    // Every A/B group starting with v2-: v2-canary 3 % and v2-beta 2 %.
    await sim.applyServiceRouting('svc:order-api', { versionWeights: { v1: 100 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-', match: 'prefix', version: 'v2' }] });
    expectNear(versionShare(await runTicks(sim, at, 20, 20), ids), 0.05, 0.01);
  });

  it('evaluates a regex rule once per routing change, not on every tick', async () => {
    const { sim, at, ids } = await orderApi();
    const test = vi.spyOn(RegExp.prototype, 'test');
    try {
      const evaluations = () => test.mock.contexts.filter((re) => (re as RegExp).source === '[0-4]$').length;
      await sim.applyServiceRouting('svc:order-api', { versionWeights: { v1: 100 }, headerRules: [{ header: 'X-User-Id', equals: '[0-4]$', match: 'regex', version: 'v2' }] });
      const first = await runTicks(sim, at, 0, 3);
      const once = evaluations();
      expect(once).toBeGreaterThan(0);
      const more = await runTicks(sim, at, 3, 20);
      expect(evaluations()).toBe(once);
      // The cached fractions still route: users whose id ends in 0–4 reach v2.
      expectNear(versionShare([...first, ...more], ids), 0.5, 0.03);
      // A new routing (even with the same rule) is evaluated again, once.
      await sim.applyServiceRouting('svc:order-api', { versionWeights: { v1: 100 }, headerRules: [{ header: 'X-User-Id', equals: '[0-4]$', match: 'regex', version: 'v2' }] });
      await runTicks(sim, at, 23, 5);
      expect(evaluations()).toBe(2 * once);
    } finally {
      test.mockRestore();
    }
  });

  it('applies a new version split', async () => {
    const { sim, at, ids } = await orderApi();
    await sim.applyServiceRouting('svc:order-api', { versionWeights: { v1: 50, v2: 50 }, headerRules: [] });
    expectNear(versionShare(await runTicks(sim, at, 0, 20), ids), 0.5, 0.02);
  });

  it('splits within a version by the applied weights', async () => {
    const { sim, at } = await orderApi();
    const a = 'payment-svc-euw-a-1-v1-1';
    const b = 'payment-svc-euw-a-1-v1-2';
    await sim.applyWeights([{ instanceId: a, weight: 100 }, { instanceId: b, weight: 50 }]);
    const ticks = await runTicks(sim, at, 0, 20);
    expectNear(meanOf(ticks, a, (t) => t.rps) / meanOf(ticks, b, (t) => t.rps), 2, 0.15);
  });

  it('serves a service stored without routing as one pool', async () => {
    const { sim, at, fleet } = await orderApi();
    expect(fleet.services.find((s) => s.name === 'edge-gateway')!.routing).toEqual({});
    const [tick] = await runTicks(sim, at, 0, 1);
    const edge = tick!.filter((t) => t.instanceId.startsWith('edge-gateway-'));
    expect(edge).toHaveLength(10);
    for (const t of edge) expect(t.rps!).toBeGreaterThan(100);
  });

  it('sends nothing to the deployed v2 of a service routed 100 % to v1 (the demo canaries before a rollout)', async () => {
    const { sim, at } = await orderApi();
    const ticks = await runTicks(sim, at, 0, 5);
    const v2 = ticks.flat().filter((t) => /^(payment|inventory)-svc-.*-v2-/.test(t.instanceId));
    expect(v2).toHaveLength(4 * 5);
    for (const t of v2) expect(t.rps).toBe(0);
  });
});
