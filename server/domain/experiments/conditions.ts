// SLO conditions of a chaos run, evaluated from telemetry: the steady-state hypothesis before
// injecting and the abort conditions every tick while faults are in. Each result carries its value
// and a sentence, so the run page shows the live value against the threshold and the timeline says
// exactly which condition stopped the run and with what.
//
// No data is not a pass and not a failure: a window without requests (or without a histogram) has
// no value, does not fire, and says so — an abort must not fire on silence, and the page must not
// pretend a green value it never measured.
import { isOverflow, mergeBuckets, quantileOf } from '../latency-buckets';
import { fmtPct } from './selection';
import type { Condition } from './spec';

export interface ConditionTick {
  /** End of the tick, epoch ms. */
  at: number;
  requests: number;
  errors: number;
  /** LATENCY_BUCKETS_MS counts plus overflow; [] when the platform has no histogram. */
  buckets: number[];
}

export interface ConditionSnapshot {
  /** The targeted services' instances now. */
  instances: Array<{ name: string; level: number; breakerOpen: boolean }>;
}

export interface ConditionResult {
  condition: Condition;
  /** Its position in the list it was evaluated from. */
  index: number;
  fired: boolean;
  /** The measured value in `unit`; null = no data. */
  value: number | null;
  threshold: number;
  unit: '%' | 'ms' | '';
  /** "availability 93.2 % over 30 s < 95 %". */
  words: string;
}

/** Ticks inside the last `windowS` seconds up to `now`: at in (now − window, now]. */
export function ticksInWindow(ticks: readonly ConditionTick[], now: number, windowS: number): ConditionTick[] {
  const from = now - windowS * 1000;
  return ticks.filter((t) => t.at > from && t.at <= now);
}

/** Availability in % of a set of ticks; null without requests. */
export function availabilityOf(ticks: readonly ConditionTick[]): number | null {
  let requests = 0;
  let errors = 0;
  for (const t of ticks) {
    requests += t.requests;
    errors += Math.min(t.errors, t.requests);
  }
  return requests > 0 ? (1 - errors / requests) * 100 : null;
}

/** The q-quantile of the ticks' merged histograms in ms; null when none carries a count. */
export function quantileOfTicks(ticks: readonly ConditionTick[], q: number): number | null {
  return quantileOf(mergeBuckets(ticks.map((t) => t.buckets)), q);
}

/**
 * Availability rounded down, to two decimals near 100 (99.95 vs 99.9 matters) and one below, and
 * never fewer decimals than the threshold it is compared with: so "99.9 % < 99.9 %" cannot print.
 */
export function fmtAvailability(p: number, threshold?: number): string {
  const thresholdDigits = threshold === undefined ? 0 : (String(threshold).split('.')[1] ?? '').length;
  const digits = Math.min(4, Math.max(p >= 99 ? 2 : 1, thresholdDigits));
  const f = 10 ** digits;
  return String(Math.floor(p * f + 1e-9) / f);
}

export function fmtMs(ms: number): string {
  return `${isOverflow(ms) ? '≥ ' : ''}${Math.round(ms)} ms`;
}

const s = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function evaluateCondition(condition: Condition, index: number, ticks: readonly ConditionTick[], now: number, snapshot: ConditionSnapshot): ConditionResult {
  switch (condition.kind) {
    case 'availability-below': {
      const value = availabilityOf(ticksInWindow(ticks, now, condition.windowS));
      const base = { condition, index, threshold: condition.pct, unit: '%' as const };
      if (value === null) return { ...base, fired: false, value: null, words: `availability: no traffic in the last ${condition.windowS} s (not judged; threshold ${fmtPct(condition.pct)} %)` };
      const fired = value < condition.pct;
      // Never print "99.9 % < 99.9 %": show enough digits that the comparison reads true.
      return { ...base, fired, value, words: `availability ${fmtAvailability(value, condition.pct)} % over ${condition.windowS} s ${fired ? '<' : '≥'} ${fmtPct(condition.pct)} %` };
    }
    case 'p99-above': {
      const value = quantileOfTicks(ticksInWindow(ticks, now, condition.windowS), 0.99);
      const base = { condition, index, threshold: condition.ms, unit: 'ms' as const };
      if (value === null) return { ...base, fired: false, value: null, words: `P99: no latency data in the last ${condition.windowS} s (not judged; threshold ${condition.ms} ms)` };
      const fired = value > condition.ms;
      return { ...base, fired, value, words: `P99 ${fmtMs(value)} over ${condition.windowS} s ${fired ? '>' : '≤'} ${condition.ms} ms` };
    }
    case 'breakers-open-above': {
      const open = snapshot.instances.filter((i) => i.breakerOpen);
      const base = { condition, index, threshold: condition.count, unit: '' as const };
      if (snapshot.instances.length === 0) return { ...base, fired: false, value: null, words: `breakers: no instance reported (not judged; threshold more than ${condition.count} open)` };
      const fired = open.length > condition.count;
      return { ...base, fired, value: open.length, words: `${s(open.length, 'breaker', 'breakers')} open${names(open)} ${fired ? '>' : '≤'} ${condition.count}` };
    }
    case 'degraded-at-least': {
      const degraded = snapshot.instances.filter((i) => i.level >= 2);
      const base = { condition, index, threshold: condition.count, unit: '' as const };
      if (snapshot.instances.length === 0) return { ...base, fired: false, value: null, words: `degradation: no instance reported (not judged; threshold ${condition.count} at L2+)` };
      const fired = degraded.length >= condition.count;
      return { ...base, fired, value: degraded.length, words: `${s(degraded.length, 'instance', 'instances')} at L2+${names(degraded)} ${fired ? '≥' : '<'} ${condition.count}` };
    }
  }
}

function names(xs: ReadonlyArray<{ name: string }>): string {
  if (xs.length === 0) return '';
  return ` (${xs.slice(0, 5).map((x) => x.name).join(', ')}${xs.length > 5 ? ', …' : ''})`;
}

export function evaluateConditions(conditions: readonly Condition[], ticks: readonly ConditionTick[], now: number, snapshot: ConditionSnapshot): ConditionResult[] {
  return conditions.map((c, i) => evaluateCondition(c, i, ticks, now, snapshot));
}

/** The first condition that fired (list order: the author's priority), or null. */
export function firstFired(results: readonly ConditionResult[]): ConditionResult | null {
  return results.find((r) => r.fired) ?? null;
}
