import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, emptyBuckets } from '../latency-buckets';
import type { ConditionTick } from './conditions';
import { buildRunReport, reportMarkdown, type ReportInput, type ReportLayerInput } from './report';
import { templateByKey } from './templates';

const T0 = Date.UTC(2026, 11, 2, 1, 0, 0);
const at = (s: number) => T0 + s * 1000;
const spec = templateByKey('seed-jitter')!.spec;

/** A tick ending at second `s`: `requests`, `errors`, all answered at `ms` (null = no histogram). */
function tick(s: number, requests: number, errors: number, ms: number | null): ConditionTick {
  const buckets = ms === null ? [] : emptyBuckets();
  if (ms !== null) buckets[bucketOf(ms)] = requests;
  return { at: at(s), requests, errors, buckets };
}

/**
 * Baseline 0–60 s, fault 60–180 s, observation until 300 s. `during(s)` and `after(s)` give the
 * latency and errors per 1000 requests for a tick.
 */
function layer(name: string, services: string[], during: { ms: number; errors: number }, healAfterS: number | null, extra: Partial<ReportLayerInput> = {}): ReportLayerInput {
  const ticks: ConditionTick[] = [];
  for (let s = 1; s <= 300; s++) {
    if (s <= 60) ticks.push(tick(s, 1000, 0, 20));
    else if (s <= 180) ticks.push(tick(s, 1000, during.errors, during.ms));
    else if (healAfterS !== null && s > 180 + healAfterS) ticks.push(tick(s, 1000, 0, 22));
    else ticks.push(tick(s, 1000, during.errors, during.ms));
  }
  return { layer: name, services, ticks, levels: [{ at: at(30), maxLevel: 3 }, { at: at(100), maxLevel: 2 }, { at: at(200), maxLevel: 1 }], breakerTrips: [{ at: at(10) }, { at: at(90) }, { at: at(95) }], ...extra };
}

const input = (layers: ReportLayerInput[], over: Partial<ReportInput> = {}): ReportInput => ({
  spec,
  layers,
  baseline: { from: at(0), to: at(60) },
  fault: { from: at(60), to: at(180) },
  observeUntil: at(300),
  ...over,
});

// The seed's shape: deeper layers suffer more; data does not self-heal.
const SEED = input([
  layer('data', ['inventory-svc', 'payment-svc'], { ms: 700, errors: 17 }, null),
  layer('access', ['edge-gateway'], { ms: 200, errors: 0 }, 5),
  layer('service', ['order-api'], { ms: 450, errors: 5 }, 30),
]);

describe('buildRunReport', () => {
  const r = buildRunReport(SEED);

  it('orders layers top-down and computes deltas during − baseline from merged histograms', () => {
    expect(r.layers.map((l) => l.layer)).toEqual(['access', 'service', 'data']);
    const [access, service, data] = r.layers;
    // 20 ms sits in the (15, 25] bucket; 200 ms in (135, 200]; interpolated inside the bucket.
    expect(access!.baseline.p99).toBeCloseTo(24.9, 6);
    expect(access!.during.p99).toBeCloseTo(199.4, 6);
    expect(access!.delta.p99).toBeCloseTo(access!.during.p99! - access!.baseline.p99!, 1);
    expect(service!.delta.p99! > access!.delta.p99! && data!.delta.p99! > service!.delta.p99!).toBe(true);
    expect(access!.delta.p50! < access!.delta.p99!).toBe(true);
  });

  it('judges availability during the fault against the target', () => {
    const [access, service, data] = r.layers;
    expect([access!.availabilityPct, access!.meetsTarget]).toEqual([100, true]);
    expect(service!.availabilityPct).toBeCloseTo(99.5, 6);
    expect([service!.meetsTarget, data!.meetsTarget, data!.targetPct]).toEqual([false, false, 99.9]);
    expect(r.layers.every((l) => l.baselineAvailabilityPct === 100)).toBe(true);
    expect(access!.requests).toEqual({ baseline: 60_000, during: 120_000, after: 120_000 });
  });

  it('measures self-heal from removal to the first of three healthy ticks, or says it did not self-heal', () => {
    const [access, service, data] = r.layers;
    expect([access!.selfHealS, access!.selfHealWords]).toEqual([6, 'self-healed in 6 s']);
    expect(service!.selfHealS).toBe(31);
    expect([data!.selfHealS, data!.selfHealWords]).toEqual([null, 'did not self-heal within 120 s']);
  });

  it('a single healthy tick in a bad stretch is not healing; two are not enough either', () => {
    const l = layer('x', ['x'], { ms: 700, errors: 0 }, null);
    // Healthy at 185, 186 (two), bad at 187, healthy from 200 on for good.
    l.ticks = l.ticks.map((t) => {
      const s = (t.at - T0) / 1000;
      return s === 185 || s === 186 || s >= 200 ? tick(s, 1000, 0, 20) : t;
    });
    expect(buildRunReport(input([l])).layers[0]!.selfHealS).toBe(20);
  });

  it('self-heal needs P99 back within 1.2 × baseline + 5 ms, not merely lower than during the fault', () => {
    // Baseline P99 24.9 ms: the limit is 34.9 ms; 30 ms requests land in (25, 40] with a P99 of 39.9.
    const l = layer('x', ['x'], { ms: 700, errors: 0 }, 0);
    l.ticks = l.ticks.map((t) => (t.at > at(180) ? tick((t.at - T0) / 1000, 1000, 0, 30) : t));
    expect(buildRunReport(input([l])).layers[0]!.selfHealWords).toBe('did not self-heal within 120 s');
  });

  it('merges the histograms of every tick in a window (a slow minority moves P99, not P50)', () => {
    // During the fault 3 ticks in 100 are slow: 3 % of requests at 800 ms → P99 slow, P50 unchanged.
    const l = layer('x', ['x'], { ms: 20, errors: 0 }, 0);
    l.ticks = l.ticks.map((t) => {
      const s = (t.at - T0) / 1000;
      return s > 60 && s <= 180 && s % 40 === 0 ? tick(s, 1000, 0, 800) : t;
    });
    const x = buildRunReport(input([l])).layers[0]!;
    expect(Math.abs(x.delta.p50!)).toBeLessThan(1);
    expect(x.during.p99).toBeGreaterThan(700);
  });

  it('counts the highest level and breaker trips from injection to the end of observation only', () => {
    expect(r.layers[0]!.maxLevel).toBe(2);
    expect(r.layers[0]!.breakerTrips).toBe(2);
  });

  it('summarises in a sentence', () => {
    expect(r.summary).toMatch(/^1 of 3 layers met the 99\.9 % availability target during the fault; the largest P99 change was \+\d+ ms \(data\); data did not self-heal within 120 s\.$/);
    const healed = buildRunReport(input([layer('access', ['edge-gateway'], { ms: 200, errors: 0 }, 5)]));
    expect(healed.summary).toMatch(/; every layer self-healed within 6 s\.$/);
    expect(buildRunReport(input([])).summary).toBe('No layer reported telemetry for this run: nothing to compare.');
  });

  it('is deterministic: generatedAt defaults to the end of observation, and input order does not matter', () => {
    expect(r.generatedAt).toBe(at(300));
    const shuffled = { ...SEED, layers: [...SEED.layers].reverse().map((l) => ({ ...l, ticks: [...l.ticks].reverse() })) };
    expect(buildRunReport(shuffled)).toEqual(r);
    expect(buildRunReport({ ...SEED, generatedAt: 5 }).generatedAt).toBe(5);
  });

  it('bounds the chart series however long the run', () => {
    const long: ReportLayerInput = { layer: 'a', services: ['a'], ticks: Array.from({ length: 5000 }, (_, k) => tick(k + 1, 10, 0, 20)), levels: [], breakerTrips: [] };
    const rep = buildRunReport(input([long], { baseline: { from: at(0), to: at(600) }, fault: { from: at(600), to: at(4000) }, observeUntil: at(5000) }));
    expect(rep.layers[0]!.series.length).toBeLessThanOrEqual(240);
    expect(rep.layers[0]!.series.reduce((s, p) => s + p.requests, 0)).toBe(50_000);
    expect(r.layers[0]!.series.length).toBe(240);
  });
});

describe('buildRunReport — missing data in words', () => {
  it('a layer below the target before the fault heals back to its own baseline, not to the target', () => {
    // 99.5 % before, during and after (5 errors per 1000), target 99.9 %, latency back at once.
    const l = layer('x', ['x'], { ms: 700, errors: 5 }, 0);
    l.ticks = l.ticks.map((t) => {
      const s = (t.at - T0) / 1000;
      return s <= 60 || s > 180 ? tick(s, 1000, 5, 20) : t;
    });
    const [x] = buildRunReport(input([l])).layers;
    expect(x!.baselineAvailabilityPct).toBeCloseTo(99.5, 9);
    expect([x!.selfHealS, x!.selfHealWords]).toEqual([1, 'self-healed in 1 s']);
    expect(x!.notes).toContain('below the 99.9 % target before the fault (99.5 %): self-heal judged against 99.4 %');
    // Worse than its own baseline after removal (98 %): not healed.
    l.ticks = l.ticks.map((t) => (t.at > at(180) ? tick((t.at - T0) / 1000, 1000, 20, 20) : t));
    expect(buildRunReport(input([l])).layers[0]!.selfHealWords).toBe('did not self-heal within 120 s');
  });

  it('judges self-heal on a few ticks merged: one unlucky tick does not reset it, a bad one does', () => {
    // Bad until 182, healthy from 183 on, except 184 with 2 errors in 1000 (99.8 % alone; 99.93 % merged with two clean ticks).
    const l = layer('x', ['x'], { ms: 700, errors: 50 }, null);
    l.ticks = l.ticks.map((t) => {
      const s = (t.at - T0) / 1000;
      return s === 181 || s === 182 ? tick(s, 1000, 50, 700) : s > 182 ? tick(s, 1000, s === 184 ? 2 : 0, 20) : t;
    });
    expect(buildRunReport(input([l])).layers[0]!.selfHealS).toBe(3);
  });

  it('no traffic, no histogram, no levels: nulls and notes, never zeros', () => {
    const quiet: ReportLayerInput = { layer: 'data', services: ['db'], ticks: [], levels: [], breakerTrips: [] };
    const noHist = layer('access', ['edge'], { ms: 200, errors: 0 }, 5);
    noHist.ticks = noHist.ticks.map((t) => ({ ...t, buckets: [] }));
    const rep = buildRunReport(input([quiet, noHist]));
    const [a, d] = rep.layers;
    expect(a!.delta).toEqual({ p50: null, p90: null, p99: null });
    expect(a!.notes).toContain('no latency histogram in the baseline window: deltas not measured');
    // Without latency the availability alone judges self-heal: healthy from the first tick on.
    expect(a!.selfHealS).toBe(1);
    expect(d!.availabilityPct).toBeNull();
    expect(d!.meetsTarget).toBeNull();
    expect(d!.selfHealWords).toBe('no traffic after removal (self-heal not judged within 120 s)');
    expect(d!.maxLevel).toBeNull();
    expect(d!.notes).toEqual(['no traffic in the baseline window', 'no traffic during the fault', 'no degradation level reported']);
    expect(rep.summary.startsWith('1 of 1 layers met')).toBe(true);
  });
});

describe('reportMarkdown', () => {
  it('renders the seed-shaped table with P50/P90/P99 deltas, availability, self-heal and the summary', () => {
    const md = reportMarkdown(buildRunReport(SEED), 'SLA under network jitter');
    const lines = md.split('\n');
    expect(lines[0]).toBe('## SLA under network jitter');
    expect(lines[2]).toBe('| Layer | P50 Δ | P90 Δ | P99 Δ | Availability | Self-heal | Max level | Breaker trips |');
    expect(lines[3]).toBe('|---|---|---|---|---|---|---|---|');
    expect(lines[4]).toMatch(/^\| access \(edge-gateway\) \| \+\d+ ms \(\d+ ms → \d+ ms\) \| .* \| 100 % ✓ meets 99\.9 % \| 6 s \| L2 \| 2 \|$/);
    expect(lines[5]).toContain('99.5 % ✗ below 99.9 %');
    expect(lines[6]).toContain('| did not self-heal within 120 s |');
    expect(lines[8]).toBe(buildRunReport(SEED).summary);
  });

  it('escapes pipes and line breaks so a label cannot break the table', () => {
    const md = reportMarkdown(buildRunReport(input([layer('a|b', ['x'], { ms: 200, errors: 0 }, 5)])), 'T|\nitle');
    expect(md.split('\n')[0]).toBe('## T\\| itle');
    expect(md).toContain('| a\\|b (x) |');
    expect(md.split('\n')[4]!.split(/(?<!\\)\|/)).toHaveLength(10);
  });

  it('property: every layer row has the header’s column count, whatever the layer names', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 }), (names) => {
        const md = reportMarkdown(buildRunReport(input(names.map((n) => ({ layer: n, services: [], ticks: [], levels: [], breakerTrips: [] })))), 'x');
        const rows = md.split('\n').filter((l) => l.startsWith('| '));
        expect(rows).toHaveLength(names.length + 1);
        for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(10);
      }),
      { numRuns: 200 },
    );
  });
});
