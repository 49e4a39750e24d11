// Adaptive circuit breaker (SPEC §3.4). The threshold T is an EWMA of response times; the breaker
// opens when rt > factor·T while the instance is near its concurrency limit, or, while the window
// holds too few samples to trust T, when the error ratio exceeds the static limit.
//
// T learns only from closed ticks that did not trip the breaker. Learning from the tick that
// opens it, from the probes of half-open, or from whatever trickles through while open, would
// pull T towards the failure the breaker reacts to, and the breaker would then close on an
// instance that is still as slow as when it opened.
import type { BreakerPolicy, BreakerState } from './model';

/** The sample window is kept as this many buckets of windowS / BUCKETS each (no per-tick list). */
export const WINDOW_BUCKETS = 12;

export interface BreakerRuntime {
  state: BreakerState;
  /** EWMA response-time threshold, ms; null until the first response time. */
  threshold: number | null;
  openedAt: number | null;
  /** Consecutive good ticks in half-open. */
  probes: number;
  /** Sliding window: ticks with requests (samples), requests and failures per bucket. */
  bucketMs: number;
  head: number | null;
  samples: number[];
  requests: number[];
  failures: number[];
}

export function newBreaker(state: BreakerState = 'closed', now = 0): BreakerRuntime {
  return {
    state,
    threshold: null,
    openedAt: state === 'open' ? now : null,
    probes: 0,
    bucketMs: 0,
    head: null,
    samples: new Array<number>(WINDOW_BUCKETS).fill(0),
    requests: new Array<number>(WINDOW_BUCKETS).fill(0),
    failures: new Array<number>(WINDOW_BUCKETS).fill(0),
  };
}

/** What the breaker reads from one tick of telemetry. */
export interface BreakerObservation {
  /** Requests completed this tick and how many failed (errors + timeouts). */
  requests: number;
  failures: number;
  /** Mean response time of this tick's requests, ms; null when unknown. */
  rtMs: number | null;
  activeRequests: number | null;
  maxConcurrency: number | null;
}

export interface BreakerStep {
  from: BreakerState;
  to: BreakerState;
  cause: string;
  values: Record<string, number>;
}

function clearWindow(b: BreakerRuntime) {
  b.samples.fill(0);
  b.requests.fill(0);
  b.failures.fill(0);
  b.head = null;
}

function record(b: BreakerRuntime, o: BreakerObservation, now: number, windowS: number) {
  const width = (windowS * 1000) / WINDOW_BUCKETS;
  if (b.bucketMs !== width) {
    clearWindow(b);
    b.bucketMs = width;
  }
  const idx = Math.floor(now / width);
  if (b.head === null) b.head = idx;
  else if (idx > b.head) {
    const steps = Math.min(idx - b.head, WINDOW_BUCKETS);
    for (let s = 1; s <= steps; s++) {
      const k = (b.head + s) % WINDOW_BUCKETS;
      b.samples[k] = 0;
      b.requests[k] = 0;
      b.failures[k] = 0;
    }
    b.head = idx;
  }
  if (o.requests <= 0) return;
  const k = b.head % WINDOW_BUCKETS;
  b.samples[k]! += 1;
  b.requests[k]! += o.requests;
  b.failures[k]! += o.failures;
}

// Indexed, not for…of: the closed breaker sums its window every tick of every instance.
function sum(a: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]!;
  return s;
}

export interface WindowStats {
  samples: number;
  requests: number;
  failures: number;
}

export function windowStats(b: BreakerRuntime): WindowStats {
  return { samples: sum(b.samples), requests: sum(b.requests), failures: sum(b.failures) };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const ms = (x: number) => `${Math.round(x)} ms`;

function learn(b: BreakerRuntime, rt: number | null, alpha: number) {
  if (rt === null) return;
  b.threshold = b.threshold === null ? rt : alpha * rt + (1 - alpha) * b.threshold;
}

function open(b: BreakerRuntime, now: number) {
  b.state = 'open';
  b.openedAt = now;
  b.probes = 0;
}

/** A tick is bad in half-open when it fails too often or is as slow as an opening tick. */
function badProbe(b: BreakerRuntime, o: BreakerObservation, p: BreakerPolicy): string | null {
  const ratio = o.failures / o.requests;
  if (ratio > p.staticErrorRatio) return `probe failed: error ratio ${pct(ratio)} > ${pct(p.staticErrorRatio)}`;
  if (o.rtMs !== null && b.threshold !== null && o.rtMs > p.factor * b.threshold) return `probe failed: rt ${ms(o.rtMs)} > ${p.factor} × threshold ${ms(b.threshold)}`;
  return null;
}

function valuesOf(b: BreakerRuntime, o: BreakerObservation, extra: Record<string, number>): Record<string, number> {
  const v: Record<string, number> = { requests: o.requests, failures: o.failures, ...extra };
  if (o.rtMs !== null) v.rt = o.rtMs;
  if (b.threshold !== null) v.threshold = b.threshold;
  return v;
}

const NO_VALUES: Record<string, number> = Object.freeze({});
// What a step returns when its words are not wanted (the what-if replay only counts steps).
const BARE = {
  halfOpen: Object.freeze({ from: 'open', to: 'half-open', cause: '', values: NO_VALUES }),
  reopen: Object.freeze({ from: 'half-open', to: 'open', cause: '', values: NO_VALUES }),
  close: Object.freeze({ from: 'half-open', to: 'closed', cause: '', values: NO_VALUES }),
  open: Object.freeze({ from: 'closed', to: 'open', cause: '', values: NO_VALUES }),
} as const satisfies Record<string, BreakerStep>;

/**
 * Advance the breaker (in place) by one tick; returns the transition taken, if any. Without
 * `describe` the step's cause and values are left empty (a shared object): the state moves the same.
 */
export function advanceBreaker(b: BreakerRuntime, o: BreakerObservation, now: number, p: BreakerPolicy, describe = true): BreakerStep | null {
  switch (b.state) {
    case 'open': {
      const since = now - (b.openedAt ?? now);
      if (since < p.coolDownS * 1000) return null;
      b.state = 'half-open';
      if (!describe) return BARE.halfOpen;
      return { from: 'open', to: 'half-open', cause: `cool-down of ${p.coolDownS} s elapsed: letting probes through`, values: valuesOf(b, o, { openForS: since / 1000 }) };
    }
    case 'half-open': {
      if (o.requests <= 0) return null;
      const bad = badProbe(b, o, p);
      if (bad !== null) {
        open(b, now);
        if (!describe) return BARE.reopen;
        return { from: 'half-open', to: 'open', cause: bad, values: valuesOf(b, o, { errorRatio: o.failures / o.requests }) };
      }
      b.probes++;
      if (b.probes < p.halfOpenProbes) return null;
      b.state = 'closed';
      b.openedAt = null;
      b.probes = 0;
      // The failures that opened it must not re-open it through the static rule.
      clearWindow(b);
      if (!describe) return BARE.close;
      return { from: 'half-open', to: 'closed', cause: `${p.halfOpenProbes} good probe ticks in a row`, values: valuesOf(b, o, { errorRatio: o.failures / o.requests }) };
    }
    case 'closed': {
      record(b, o, now, p.windowS);
      if (o.requests <= 0) return null;
      // The window's sums, as windowStats has them, without an object every tick.
      const samples = sum(b.samples);
      if (samples < p.minSamples) {
        const requests = sum(b.requests);
        const ratio = requests > 0 ? sum(b.failures) / requests : 0;
        if (ratio > p.staticErrorRatio) {
          if (!describe) {
            open(b, now);
            return BARE.open;
          }
          const v = valuesOf(b, o, { errorRatio: ratio, samples, windowRequests: requests });
          open(b, now);
          return { from: 'closed', to: 'open', cause: `error ratio ${pct(ratio)} > ${pct(p.staticErrorRatio)} (static rule: ${samples} of ${p.minSamples} samples in ${p.windowS} s)`, values: v };
        }
      } else if (o.rtMs !== null && b.threshold !== null && o.activeRequests !== null && o.maxConcurrency !== null) {
        const limit = p.factor * b.threshold;
        const busy = p.concurrencyFraction * o.maxConcurrency;
        if (o.rtMs > limit && o.activeRequests > busy) {
          if (!describe) {
            open(b, now);
            return BARE.open;
          }
          const v = valuesOf(b, o, { activeRequests: o.activeRequests, maxConcurrency: o.maxConcurrency, samples });
          open(b, now);
          return {
            from: 'closed',
            to: 'open',
            cause: `rt ${ms(o.rtMs)} > ${p.factor} × threshold ${ms(b.threshold)} with ${Math.round(o.activeRequests)} of ${Math.round(o.maxConcurrency)} requests in flight`,
            values: v,
          };
        }
      }
      learn(b, o.rtMs, p.alpha);
      return null;
    }
  }
}

export const BREAKER_TRANSITIONS: ReadonlyArray<{ from: BreakerState; to: BreakerState }> = [
  { from: 'closed', to: 'open' },
  { from: 'open', to: 'half-open' },
  { from: 'half-open', to: 'closed' },
  { from: 'half-open', to: 'open' },
];
