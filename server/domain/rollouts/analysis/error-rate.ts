// Error rate: canary vs stable error counts per tick, null "canary rate ≤ (1 + margin) × stable
// rate" (sequential.ts explains the test). The chart band is the canary's own error rate with an
// anytime-valid beta-binomial confidence sequence (math.ts), in %.
import { binomialConfidence } from './math';
import { MixtureTest } from './sequential';
import { count, type MetricTracker } from './tracker';
import type { AnalysisTick, MetricPoint } from './types';

interface Totals {
  at: number;
  nc: number;
  ec: number;
  ns: number;
  es: number;
}

export function errorRateTracker(maxIncreasePct: number): MetricTracker {
  const k = 1 + maxIncreasePct / 100;
  const test = new MixtureTest();
  const t: Totals = { at: 0, nc: 0, ec: 0, ns: 0, es: 0 };
  const looks: Totals[] = [];
  const pct = (e: number, n: number) => (n > 0 ? (100 * e) / n : null);
  return {
    test,
    observe(tick: AnalysisTick) {
      const nc = count(tick.canary.requests);
      const ns = count(tick.stable.requests);
      // More errors than requests is a telemetry fault: never let it count as more evidence.
      const ec = Math.min(count(tick.canary.errors), nc);
      const es = Math.min(count(tick.stable.errors), ns);
      test.observe(ec, ec + es, nc, ns, k);
      t.nc += nc;
      t.ec += ec;
      t.ns += ns;
      t.es += es;
    },
    record(at: number) {
      looks.push({ ...t, at });
    },
    get recorded() {
      return looks.length;
    },
    point(i: number, alpha: number): MetricPoint {
      const l = looks[i]!;
      if (l.nc <= 0) return { at: l.at, canary: null, stable: pct(l.es, l.ns), low: null, high: null };
      const band = binomialConfidence(l.ec, l.nc, alpha);
      return { at: l.at, canary: pct(l.ec, l.nc), stable: pct(l.es, l.ns), low: 100 * band.low, high: 100 * band.high };
    },
    canaryRequests: () => t.nc,
    stableRequests: () => t.ns,
    canaryValue: () => pct(t.ec, t.nc),
    stableValue: () => pct(t.es, t.ns),
    tail: () => null,
    missingEvidence: () => (t.nc <= 0 ? 'no canary requests yet' : t.ns <= 0 ? 'no stable requests in the compared zones to compare with' : null),
  };
}
