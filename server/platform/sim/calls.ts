// Calls between services (SimConfig.calls, by default the demo's edge-gateway → order-api →
// inventory-svc, payment-svc), so that a fault on one layer reaches the layers below it the way it
// does in a real call graph:
//
// - Callers hedge: a call still unanswered after the callee's recent P95 (the hedge delay, which
//   follows the callee's P95 with a 30 s lag, as a latency-aware client learns it) is sent again to
//   another instance, and a failed call is retried once; the callee does the work of both attempts.
//   A delay fault on an instance delays every packet it receives, the answers of its callees too,
//   so a delayed caller hedges far more than 5 % of its calls.
// - A callee's load is its configured demand (which includes the routine 5 % of hedges) times its
//   callers' load factor times the extra attempts they send: the factors multiply down the graph,
//   so a deeper layer runs hotter, slows down, and makes its own callers hedge more in turn.
// - A call fails only when both attempts fail, so failures surface upward masked (f² per hop).
//
// Everything is computed from the last tick's telemetry (one tick of lag, as a client's statistics
// lag), per service, in O(instances of services in the graph); services outside it cost nothing.
import { LATENCY_BUCKETS_MS, LATENCY_BUCKET_COUNT, quantileOf } from '../../domain/latency-buckets';
import type { InstanceTelemetry } from '../../domain/model';
import type { Effects } from './faults';

/** Callers hedge a call after this quantile of the callee's latency. */
export const HEDGE_QUANTILE = 0.95;
/** Time constant (s) with which the hedge delay follows the callee's P95. */
export const HEDGE_TAU_S = 30;
/** At most this share of calls is sent again (a hedging budget): the factor per hop stays ≤ 1.75 / 1.05. */
export const HEDGE_BUDGET = 0.75;
/** Extra attempts a steady callee gets anyway: part of its configured demand. */
const ROUTINE_EXTRA = 1 - HEDGE_QUANTILE;

/** The demo platform's call graph (prisma/demo-fleet.ts): access → service → data. */
export const DEMO_CALLS: Readonly<Record<string, readonly string[]>> = {
  'edge-gateway': ['order-api'],
  'order-api': ['inventory-svc', 'payment-svc'],
};

/** A copy of DEMO_CALLS to put in a SimConfig (`calls: demoCalls()`). */
export function demoCalls(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(DEMO_CALLS).map(([k, v]) => [k, [...v]]));
}

/** A cycle in a call graph as "a → b → a", or undefined. */
export function findCycle(calls: Readonly<Record<string, readonly string[]>>): string | undefined {
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (s: string): string | undefined => {
    if (state.get(s) === 2) return undefined;
    if (state.get(s) === 1) return [...path.slice(path.indexOf(s)), s].join(' → ');
    state.set(s, 1);
    path.push(s);
    for (const c of calls[s] ?? []) {
      const found = visit(c);
      if (found) return found;
    }
    path.pop();
    state.set(s, 2);
    return undefined;
  };
  for (const s of Object.keys(calls)) {
    const found = visit(s);
    if (found) return found;
  }
  return undefined;
}

// Gauss–Hermite nodes and weights (7 points) for E[g(X)], X normal: Σ w·g(μ + √2·σ·x) / √π.
const GH_X = [-2.651961356835233, -1.6735516287674714, -0.8162878828589647, 0, 0.8162878828589647, 1.6735516287674714, 2.651961356835233];
const GH_W = [0.00097178124509952, 0.05451558281912703, 0.4256072526101278, 0.8102646175568073, 0.4256072526101278, 0.05451558281912703, 0.00097178124509952];

/** Share of a histogram's requests slower than x ms (linear inside a bucket). */
function survival(counts: Float64Array, total: number, x: number): number {
  if (total <= 0) return 0;
  let below = 0;
  for (let b = 0; b < LATENCY_BUCKETS_MS.length; b++) {
    const hi = LATENCY_BUCKETS_MS[b]!;
    const lo = b === 0 ? 0 : LATENCY_BUCKETS_MS[b - 1]!;
    if (x >= hi) {
      below += counts[b]!;
      continue;
    }
    if (x > lo) below += (counts[b]! * (x - lo)) / (hi - lo);
    return 1 - below / total;
  }
  return 1 - below / total;
}

/** P(L + D > tau) for L from the histogram and D = max(0, N(delay, jitter)). */
function slowerWithDelay(counts: Float64Array, total: number, tau: number, delayMs: number, jitterMs: number): number {
  if (!(jitterMs > 0)) return survival(counts, total, tau - Math.max(0, delayMs));
  let p = 0;
  for (let k = 0; k < GH_X.length; k++) p += GH_W[k]! * survival(counts, total, tau - Math.max(0, delayMs + Math.SQRT2 * jitterMs * GH_X[k]!));
  return p / Math.sqrt(Math.PI);
}

interface Carried {
  tau: ReadonlyMap<string, number>;
  perService: ReadonlyMap<string, { amp: number; callFail: number }>;
}

interface Edge {
  caller: number;
  callee: number;
  key: string;
}

export class CallGraph {
  /** Load multiplier of each service (group index) for the next tick's demand. */
  readonly amp: Float64Array;
  /** Share of each service's requests that fail because a call they made failed twice. */
  readonly callFail: Float64Array;
  private readonly edges: Edge[];
  /** Services in an order where every caller comes before its callees. */
  private readonly order: number[];
  private readonly callees: number[];
  private readonly merged = new Map<number, Float64Array>();
  private readonly total: Float64Array;
  private readonly failed: Float64Array;
  private readonly p95: Float64Array;
  /** The hedge delay (ms) per edge key, kept across fleet changes. */
  private readonly tau = new Map<string, number>();
  private readonly extra: Float64Array;

  constructor(
    calls: Readonly<Record<string, readonly string[]>>,
    private readonly names: readonly string[],
    previous?: Carried,
  ) {
    const serviceNames = names;
    const n = serviceNames.length;
    const index = new Map(serviceNames.map((name, g) => [name, g]));
    this.amp = new Float64Array(n).fill(1);
    this.callFail = new Float64Array(n);
    this.total = new Float64Array(n);
    this.failed = new Float64Array(n);
    this.p95 = new Float64Array(n);
    this.edges = [];
    // Names the fleet does not have are ignored (a graph may name services of another fleet).
    for (const [caller, list] of Object.entries(calls)) {
      const c = index.get(caller);
      if (c === undefined) continue;
      for (const callee of list) {
        const s = index.get(callee);
        if (s === undefined || s === c || this.edges.some((e) => e.caller === c && e.callee === s)) continue;
        const key = `${caller}>${callee}`;
        this.edges.push({ caller: c, callee: s, key });
        const t = previous?.tau.get(key);
        if (t !== undefined) this.tau.set(key, t);
      }
    }
    this.extra = new Float64Array(this.edges.length).fill(ROUTINE_EXTRA);
    serviceNames.forEach((name, g) => {
      const kept = previous?.perService.get(name);
      if (kept && this.edges.some((e) => e.caller === g || e.callee === g)) {
        this.amp[g] = kept.amp;
        this.callFail[g] = kept.callFail;
      }
    });
    this.callees = [...new Set(this.edges.map((e) => e.callee))];
    for (const s of this.callees) this.merged.set(s, new Float64Array(LATENCY_BUCKET_COUNT));
    // Kahn's order over the graph (validated acyclic in config.ts).
    const indegree = new Map<number, number>();
    for (const e of this.edges) indegree.set(e.callee, (indegree.get(e.callee) ?? 0) + 1);
    const nodes = [...new Set(this.edges.flatMap((e) => [e.caller, e.callee]))];
    const ready = nodes.filter((g) => !indegree.get(g));
    this.order = [];
    while (ready.length > 0) {
      const g = ready.shift()!;
      this.order.push(g);
      for (const e of this.edges) {
        if (e.caller !== g) continue;
        const d = indegree.get(e.callee)! - 1;
        indegree.set(e.callee, d);
        if (d === 0) ready.push(e.callee);
      }
    }
  }

  get active(): boolean {
    return this.edges.length > 0;
  }

  /** What a rebuilt graph (a fleet change) keeps: hedge delays per edge, load factors and call failures per service name. */
  carry(): Carried {
    const perService = new Map<string, { amp: number; callFail: number }>();
    this.names.forEach((name, g) => perService.set(name, { amp: this.amp[g]!, callFail: this.callFail[g]! }));
    return { tau: new Map(this.tau), perService };
  }

  /**
   * Read one tick's telemetry: each callee's latency histogram and failures, each caller's hedges
   * (with the delay faults on its instances), then the load factors and call failures for the next tick.
   * `slots[g]` are the fleet slots of service g, `routineRps[g]` its demand before the factor.
   */
  observe(out: readonly InstanceTelemetry[], slots: readonly (readonly number[])[], fx: Effects, routineRps: Float64Array, dt: number): void {
    if (!this.active) return;
    for (const s of this.callees) {
      const m = this.merged.get(s)!;
      m.fill(0);
      let requests = 0;
      let bad = 0;
      for (const i of slots[s]!) {
        const t = out[i]!;
        if (!t.up) continue;
        requests += t.requests ?? 0;
        bad += (t.errors ?? 0) + (t.timeouts ?? 0);
        const lb = t.latencyBuckets;
        if (lb) for (let b = 0; b < LATENCY_BUCKET_COUNT; b++) m[b]! += lb[b]!;
      }
      let answered = 0;
      for (let b = 0; b < LATENCY_BUCKET_COUNT; b++) answered += m[b]!;
      this.total[s] = answered;
      this.failed[s] = requests > 0 ? Math.min(1, bad / requests) : 0;
      this.p95[s] = answered > 0 ? (quantileOf(Array.from(m), HEDGE_QUANTILE) ?? 0) : 0;
    }
    const blend = 1 - Math.exp(-dt / HEDGE_TAU_S);
    this.edges.forEach((e, k) => {
      const counts = this.merged.get(e.callee)!;
      const total = this.total[e.callee]!;
      if (!(total > 0)) return;
      const prev = this.tau.get(e.key);
      const tau = prev === undefined ? this.p95[e.callee]! : prev + (this.p95[e.callee]! - prev) * blend;
      this.tau.set(e.key, tau);
      // Hedges: calls whose answer (callee latency + the delay on the caller's ingress) is later than tau.
      const undelayed = survival(counts, total, tau);
      let weight = 0;
      let slow = 0;
      for (const i of slots[e.caller]!) {
        const t = out[i]!;
        if (!t.up) continue;
        const w = t.requests ?? 0;
        let p = fx.delayMs[i]! > 0 || fx.delayVar[i]! > 0 ? slowerWithDelay(counts, total, tau, fx.delayMs[i]!, Math.sqrt(fx.delayVar[i]!)) : undelayed;
        const share = fx.cohortFrac[i]!;
        if (share > 0) p += share * (slowerWithDelay(counts, total, tau, fx.delayMs[i]! + fx.cohortDelayMs[i]!, Math.sqrt(fx.delayVar[i]! + fx.cohortDelayVar[i]!)) - p);
        weight += w;
        slow += w * p;
      }
      // A hedging budget (as gRPC's retry throttling) keeps extra attempts at HEDGE_BUDGET of the calls at most.
      this.extra[k] = Math.min(HEDGE_BUDGET, weight > 0 ? slow / weight : undelayed);
    });
    // Load factors, callers first: a callee gets its callers' factor times their extra attempts.
    for (const g of this.order) {
      let w = 0;
      let a = 0;
      let ok = 1;
      this.edges.forEach((e, k) => {
        if (e.callee === g) {
          const rps = routineRps[e.caller]!;
          w += rps;
          a += (rps * this.amp[e.caller]! * (1 + this.extra[k]!)) / (1 + ROUTINE_EXTRA);
        }
        if (e.caller === g) {
          const f = this.failed[e.callee]!;
          ok *= 1 - f * f;
        }
      });
      this.amp[g] = w > 0 ? a / w : 1;
      this.callFail[g] = 1 - ok;
    }
  }
}
