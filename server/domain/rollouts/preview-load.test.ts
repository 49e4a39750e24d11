import { describe, expect, it } from 'vitest';
import { defaultStrategyPolicy } from '../policy-defaults';
import { estimateCapacity } from './canary-load';
import type { GuardInstance } from './guards';
import { previewRollout, type PreviewFleet, type PreviewFleetInstance } from './preview';
import { exampleSpec, type RolloutSpec } from './spec';

// The demo's payment-svc in small: ten v1 instances busy at 60 % CPU (300 requests/s each, so about
// 500 at 100 %), two idle v2 instances deployed but not routed to. Today's guards see nothing; the
// canary's two instances can take about 1,000 of the service's 3,000 requests/s.
const v1 = (n: number, zone: string): PreviewFleetInstance => ({ id: `a${n}`, name: `pay-${zone}-v1-${n}`, zone, appVersion: 'v1', weight: 70, rps: 300, cpu: 60 });
const fleet: PreviewFleet = {
  instances: [
    ...Array.from({ length: 5 }, (_, n) => v1(n, 'eu-west-a')),
    ...Array.from({ length: 5 }, (_, n) => v1(n + 5, 'us-east-a')),
    { id: 'c1', name: 'pay-eu-west-a-v2-1', zone: 'eu-west-a', appVersion: 'v2', weight: 98, rps: 0, cpu: 4 },
    { id: 'c2', name: 'pay-us-east-a-v2-1', zone: 'us-east-a', appVersion: 'v2', weight: 98, rps: 0, cpu: 4 },
  ],
  strategies: defaultStrategyPolicy.order,
};
const calm = (i: PreviewFleetInstance): GuardInstance => ({ name: i.name, zone: i.zone, level: 0, breakers: [{ state: 'closed' }], stageFill: [0.1, 0.1, 0.1, 0.1, 0.1] });
const health = { instances: fleet.instances.map(calm) };
const base = exampleSpec('payment-svc', 'v1', 'v2');
/** The example with its first weight at 30 %, as the SRE ran it: header route, 30 %, analysis, approval, 20 %, pause, 50 %, pause. */
const spec: RolloutSpec = { ...base, steps: base.steps.map((s, i) => (i === 1 && s.kind === 'setWeight' ? { ...s, weight: 30 } : s)) };

describe('the preview of the load a step puts on the canary', () => {
  it('estimates capacity from today\'s requests per CPU: 2 idle v2 instances can take about a third of 3,000 requests/s', () => {
    const e = estimateCapacity(fleet.instances.map((i) => ({ id: i.id, name: i.name, appVersion: i.appVersion, rps: i.rps!, cpu: i.cpu! })), 'v2')!;
    expect(e.serviceRps).toBe(3000);
    expect(e.instanceCapacityRps).toBe(500);
    expect(e.maxCanarySharePct).toBe(33.3);
  });

  it('never says a step is safe when today\'s guards see nothing: it says what only the canary\'s own traffic will show', () => {
    const p = previewRollout(spec, fleet, health);
    for (const s of p.steps.filter((x) => x.raisesCanary)) {
      expect(s.holds).toEqual([]);
      expect(s.outlook.at(-1)).toBe('What v2 does under this share (its errors, its latency) shows only once it carries it: the guards and the analysis judge it then.');
    }
    // The header cohort's size is not known (no header mix): said, with the share v2 can take in all.
    expect(p.steps[0]!.outlook[0]).toBe("How many requests carry the header is not known before the rule runs, so they are not counted here. v2's 2 instances can take about 33.3 % of today's requests in all.");
  });

  it('at 50 % the v2 instances get 750 requests/s each: the step overloads them, and the next increase would be held', () => {
    const p = previewRollout(spec, fleet, health);
    expect(p.capacity).toEqual({ serviceRps: 3000, instanceCapacityRps: 500, maxCanarySharePct: 33.3 });
    expect(p.steps[1]!.canaryLoad).toMatchObject({ rps: 450, capacityRps: 500, utilisationPct: 90, level: 'near' });
    expect(p.steps[1]!.outlook).toContain("Close to v2's capacity: pay-eu-west-a-v2-1 would take about 450 requests/s, 90 % of the ~500 it can serve; its buffers may reach the 85 % guard.");
    const at50 = p.steps[6]!;
    expect(at50.canaryLoad).toMatchObject({ instance: 'pay-eu-west-a-v2-1', rps: 750, utilisationPct: 150, level: 'over' });
    expect(at50.outlook[0]).toBe(
      'Overloads v2: pay-eu-west-a-v2-1 would take about 750 requests/s, 150 % of the ~500 it can serve. Expect errors and slow requests that the analysis (and the background analysis) would count as a regression and roll back.',
    );
    // The analysis at 30 % sees a canary near capacity, not overloaded: no sentence; the pause after
    // 50 % carries the overload (its load says so) without repeating it.
    expect(p.steps[2]!.outlook).toEqual([]);
    expect(p.steps[7]!).toMatchObject({ canaryLoad: { level: 'over' }, outlook: [] });
    const analysedAt50 = previewRollout({ ...spec, steps: [...spec.steps, { kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 50 }], seconds: 60 }] }, fleet, health);
    expect(analysedAt50.steps[8]!.outlook).toEqual(['This analysis would judge v2 overloaded (150 % of what it can serve): expect it to fail and roll back.']);
    // A further increase after an overloaded step: the guard reads the previous step's telemetry.
    const more = previewRollout({ ...spec, steps: [...spec.steps, { kind: 'setWeight', weight: 80 }] }, fleet, health);
    expect(more.steps[8]!.outlook[0]).toBe(
      'A guard would very likely hold this step: under the step before, pay-eu-west-a-v2-1 would take about 750 requests/s, 150 % of the ~500 it can serve; an overloaded instance fills its buffers (guard: ≥ 85 %) and opens its breaker.',
    );
  });

  it('with the header mix known, the cohort counts: 3 % by header plus 30 % of the rest brings two v2 instances near capacity, 50 % overloads them', () => {
    const p = previewRollout(spec, { ...fleet, headerMix: { 'X-Abtest-Group=v2-canary': 0.03 } }, health);
    expect(p.steps[0]!.canaryLoad).toMatchObject({ rps: 45, level: 'ok' });
    expect(p.steps[0]!.outlook.some((o) => o.startsWith('How many requests carry the header'))).toBe(false);
    // 3,000 × (0.03 + 0.97 × 0.3) / 2 ≈ 481 requests/s on an instance that serves about 500.
    expect(p.steps[1]!.canaryLoad).toMatchObject({ rps: 481, utilisationPct: 96, level: 'near' });
    expect(p.steps[6]!.canaryLoad).toMatchObject({ level: 'over' });
  });

  it('writes large loads with thousands separators (10,000 instances: two canaries against the whole service)', () => {
    // A canary that already carries load is judged by its own requests per CPU (100 at 20 %: 500).
    const big = fleet.instances.map((i) => (i.appVersion === 'v1' ? { ...i, rps: 300_000, cpu: 60 } : { ...i, rps: 100, cpu: 20 }));
    const p = previewRollout(spec, { ...fleet, instances: big }, health);
    expect(p.steps[6]!.canaryLoad).toMatchObject({ rps: 750_050, capacityRps: 500, utilisationPct: 150_010, level: 'over' });
    expect(p.steps[6]!.outlook).toContain(
      'Overloads v2: pay-eu-west-a-v2-1 would take about 750,050 requests/s, 150,010 % of the ~500 it can serve. Expect errors and slow requests that the analysis (and the background analysis) would count as a regression and roll back.',
    );
  });

  it('without telemetry to judge by, it says so instead of estimating', () => {
    const p = previewRollout(spec, { ...fleet, instances: fleet.instances.map((i) => ({ ...i, rps: null, cpu: null })) }, health);
    expect(p.capacity).toBeNull();
    expect(p.steps[1]!.canaryLoad).toBeNull();
    expect(p.steps[0]!.outlook[0]).toBe('How many requests carry the header is not known before the rule runs, so they are not counted here.');
    expect(p.steps[1]!.outlook).toEqual(["No telemetry of today's load to judge by: whether v2 can carry this share, and what it does under it, shows only once it runs."]);
  });
});
