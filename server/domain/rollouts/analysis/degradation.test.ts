// A canary that degrades in the middle of a step, replayed tick by tick at 20 requests/s each side
// (p95, margin +20 %, α = 0.01). Counts are fixed per tick, so every figure is deterministic.
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_COUNT } from '../../latency-buckets';
import type { AnalysisMetric } from '../spec';
import { analyse } from './analyse';
import type { AnalysisTick } from './types';

const P95: AnalysisMetric = { metric: 'latency', quantile: 95, maxIncreasePct: 20 };
/** Requests per bucket (index into LATENCY_BUCKETS_MS: 3 = 15–25 ms, 4 = 25–40, 5 = 40–60, 6 = 60–90, 8 = 135–200). */
const h = (parts: Record<number, number>) => Array.from({ length: LATENCY_BUCKET_COUNT }, (_, b) => parts[b] ?? 0);

function replay(stable: number[], healthy: number[], degraded: number[], degradeAt: number, count: number): AnalysisTick[] {
  const n = (b: number[]) => b.reduce((s, c) => s + c, 0);
  return Array.from({ length: count }, (_, i) => {
    const c = i < degradeAt ? healthy : degraded;
    return { at: i * 1000, canary: { requests: n(c), errors: 0, buckets: c }, stable: { requests: n(stable), errors: 0, buckets: stable } };
  });
}

function look(ticks: AnalysisTick[], nowS: number, budgetS: number) {
  return analyse({ metrics: [P95], alpha: 0.01, startedAt: 0, endsAt: budgetS * 1000, now: nowS * 1000, ticks: ticks.filter((t) => t.at <= nowS * 1000) });
}

// B. Stable {15–25 ms: 75 %, 25–40: 15 %, 40–60: 5 %, 60–90: 5 %}; the canary identical, then 10 %
// of its requests at 135–200 ms instead of 40–90 ms. Within-margin evidence reaches 1/α after
// 4 min 4 s of identical traffic; the canary degrades at 4 min 10 s and stays degraded.
describe('a canary that degrades after its within-margin evidence reached 1/α', () => {
  const stable = h({ 3: 15, 4: 3, 5: 1, 6: 1 });
  const degraded = h({ 3: 15, 4: 3, 8: 2 });
  const budgetS = 700;
  const ticks = replay(stable, stable, degraded, 250, budgetS + 1);

  it('reads within margin while it is, and no longer once the evidence is gone', () => {
    const before = look(ticks, 249, budgetS).metrics[0]!;
    expect(before.verdict).toBe('pass');
    expect(before.withinMarginAt).toBe(244_000);
    expect(before.explanation).toMatch(/; within \+20 % at 99 % confidence since 4 min 4 s, so far$/);

    const after = look(ticks, 360, budgetS);
    const m = after.metrics[0]!;
    expect(after.verdict).toBe('running');
    expect(m.verdict).toBe('running');
    expect(m.withinMarginAt).toBeNull();
    expect(m.withinMarginEvidence!).toBeLessThan(100);
    expect(m.explanation).not.toMatch(/; within \+20 %/);
    expect(m.explanation).toMatch(/; no regression beyond \+20 % so far at 99 % confidence, 6 min of 11 min 40 s; was within \+20 % at 99 % confidence from 4 min 4 s to 4 min \d+ s, no longer$/);
  });

  it('is not passed at the end of its budget', () => {
    const end = look(ticks, budgetS, budgetS);
    expect(end.verdict).toBe('inconclusive');
    expect(end.metrics[0]!.verdict).toBe('inconclusive');
    expect(end.metrics[0]!.explanation).not.toMatch(/; within \+20 %/);
    expect(end.summary).toBe('inconclusive after 11 min 40 s: no evidence either way for p95 latency');
  });

  it('the same canary without the degradation passes at the end (the test can pass)', () => {
    const same = replay(stable, stable, stable, budgetS + 1, budgetS + 1);
    const end = look(same, budgetS, budgetS);
    expect(end.verdict).toBe('pass');
    expect(end.metrics[0]!.withinMarginAt).toBe(244_000);
  });
});

// A. Stable {15–25 ms: 70 %, 25–40: 20 %, 40–60: 10 %}: its p95 (50 ms) lies in the 40–60 ms
// bucket and no stable request is ever slower than 60 ms. The canary is identical for 150 s, then
// 40 % of its requests take 135–200 ms.
describe('a tight stable (nothing beyond its p95 bucket): detection does not slow with the healthy time', () => {
  const stable = h({ 3: 14, 4: 4, 5: 2 });
  const degraded = h({ 3: 9, 4: 2, 5: 1, 8: 8 });

  it.each([30, 150, 400])('a canary degrading after %i s of healthy traffic fails within 30 s', (healthyS) => {
    const ticks = replay(stable, stable, degraded, healthyS, healthyS + 120);
    const r = look(ticks, healthyS + 119, 1200);
    expect(r.verdict).toBe('fail');
    expect(r.decidedAt! - healthyS * 1000).toBeLessThanOrEqual(30_000);
    expect(r.metrics[0]!.explanation).toMatch(/regression beyond \+20 % at 99 % confidence after/);
  });

  it('an identical canary is never failed', () => {
    const ticks = replay(stable, stable, stable, 1201, 1201);
    const r = look(ticks, 1200, 1200);
    expect(r.verdict).not.toBe('fail');
    expect(r.metrics[0]!.regressionEvidence!).toBeLessThanOrEqual(1);
  });
});
