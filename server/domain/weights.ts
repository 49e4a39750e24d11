// Load-aware target weights (SPEC §3.1) and their explanation in words: which input took how
// many points off the base, and why the weight was recomputed. Every constant comes from the policy.
import type { RecomputeTrigger, WeightExplanation, WeightPolicy, WeightTerm } from './model';
import { defaultWeightPolicy } from './policy-defaults';

export interface WeightInputs {
  cpuPct: number | null;
  p95Ms: number | null;
  connections: number | null;
  memPct?: number | null;
}

type TermInput = WeightTerm['input'];

const UNIT: Record<TermInput, WeightTerm['unit']> = { cpu: '%', memory: '%', p95: 'ms', latency: 'ms', connections: '' };
/** Order in which terms are listed (and rebuilt from persisted values): latency first, it weighs most. */
const TERM_ORDER: readonly TermInput[] = ['p95', 'latency', 'cpu', 'memory', 'connections'];

const known = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
/** A normaliser ≤ 0 would divide by zero; such an input cannot take points off. */
const norm = (v: number, d: number) => (d > 0 ? Math.min(1, Math.max(0, v / d)) : 0);
/** Float noise (100 × (1 − 0.455) = 54.49999999999999) must not decide a rounding or show in JSON. */
const tidy = (x: number) => Math.round(x * 1e6) / 1e6;
const term = (input: TermInput, value: number, penalty: number): WeightTerm => ({ input, value: tidy(value), unit: UNIT[input], penalty: tidy(penalty) });

/**
 * Target weight for one instance. A missing input takes nothing off: an instance is never
 * punished for what the platform cannot measure (its age is reported next to the weight).
 */
export function computeWeight(policy: WeightPolicy, inputs: WeightInputs): { target: number; terms: WeightTerm[] } {
  const terms: WeightTerm[] = [];
  const target = weightTarget(policy, inputs.cpuPct, inputs.p95Ms, inputs.connections, inputs.memPct, terms);
  return { target, terms };
}

/**
 * computeWeight's target, and its terms pushed to `terms` when given: the what-if replay asks for
 * the number only (millions of recomputes), from the same arithmetic.
 */
export function weightTarget(
  policy: WeightPolicy,
  cpuPct: number | null | undefined,
  p95Ms: number | null | undefined,
  connections: number | null | undefined,
  memPct: number | null | undefined,
  terms: WeightTerm[] | null,
): number {
  const base = Math.max(0, policy.base);
  let raw: number;
  if (policy.model === 'exp-latency') {
    const cpuN = known(cpuPct) ? norm(cpuPct, policy.normalisers.cpuPct) : null;
    // Memory is a percentage already; the policy has no normaliser for it.
    const memN = known(memPct) ? norm(memPct, 100) : null;
    const loadIsMem = memN !== null && (cpuN === null || memN > cpuN);
    const loadN = loadIsMem ? memN : cpuN;
    const p95 = known(p95Ms) ? Math.max(0, p95Ms) : null;
    const fLoad = 1 - (loadN ?? 0);
    const fLat = p95 !== null && policy.latencyScaleMs > 0 ? Math.exp(-p95 / policy.latencyScaleMs) : 1;
    raw = base * fLoad * fLat;
    // The weight is a product of two factors, so "points taken off" by each is not unique; the
    // symmetric split (average of both orders) sums to base − weight and does not depend on
    // which factor one applies first.
    if (terms !== null) {
      if (p95 !== null) terms.push(term('p95', p95Ms!, (base * (1 - fLat) * (1 + fLoad)) / 2));
      if (loadN !== null) terms.push(term(loadIsMem ? 'memory' : 'cpu', loadIsMem ? memPct! : cpuPct!, (base * (1 - fLoad) * (1 + fLat)) / 2));
    }
  } else {
    const c = policy.coefficients;
    const n = policy.normalisers;
    const latN = known(p95Ms) ? norm(p95Ms, n.p95Ms) : 0;
    const cpuN = known(cpuPct) ? norm(cpuPct, n.cpuPct) : 0;
    const connN = known(connections) ? norm(connections, n.connections) : 0;
    raw = base * (1 - c.latency * latN - c.cpu * cpuN - c.connections * connN);
    if (terms !== null) {
      if (known(p95Ms)) terms.push(term('p95', p95Ms, base * c.latency * latN));
      if (known(cpuPct)) terms.push(term('cpu', cpuPct, base * c.cpu * cpuN));
      if (known(connections)) terms.push(term('connections', connections, base * c.connections * connN));
    }
  }
  return Math.round(Math.min(base, Math.max(0, tidy(raw))));
}

const MINUS = '\u2212';
const int = (v: number) => String(Math.round(v));

function describeInput(input: TermInput, value: number): string {
  switch (input) {
    case 'p95':
      return `P95 ${int(value)} ms`;
    case 'latency':
      return `latency ${int(value)} ms`;
    case 'cpu':
      return `CPU ${int(value)} %`;
    case 'memory':
      return `memory ${int(value)} %`;
    case 'connections':
      return `${int(value)} connections`;
  }
}

/** "−31 from P95 1240 ms", "−2.4 from 600 connections": one decimal only below 10 points. */
export function describeTerm(t: WeightTerm): string {
  const r1 = Math.round(t.penalty * 10) / 10;
  const points = r1 < 10 ? r1.toFixed(1) : int(t.penalty);
  return `${MINUS}${points} from ${describeInput(t.input, t.value)}`;
}

const ADMIN_WORDS = { drain: 'instance drained by an operator', maintenance: 'instance put in maintenance by an operator', ready: 'instance returned to service by an operator' } as const;

export function describeTrigger(t: RecomputeTrigger): string {
  switch (t.kind) {
    case 'threshold': {
      const what = describeInput(t.input, t.value);
      const limit = t.input === 'p95' ? `${int(t.threshold)} ms` : t.input === 'cpu' ? `${int(t.threshold)} %` : int(t.threshold);
      if (t.direction === 'up') return `${what} crossed ${limit}`;
      return t.direction === 'held' ? `${what} still above ${limit}` : `${what} fell back below ${limit}`;
    }
    case 'periodic':
      return `periodic recompute (every ${int(t.everyS)} s)`;
    case 'initial':
      return 'first computation';
    case 'admin':
      return ADMIN_WORDS[t.state];
    case 'down':
      return 'instance unreachable';
    case 'up':
      return 'instance reachable again';
    case 'policy':
      return 'policy changed';
  }
}

/** The flat numeric record persisted as a weight transition's `values` (docs/telemetry.md). */
export function explanationValues(e: WeightExplanation): Record<string, number> {
  const out: Record<string, number> = { target: e.target, base: e.base };
  for (const t of e.terms) {
    out[`value.${t.input}`] = t.value;
    out[`penalty.${t.input}`] = t.penalty;
  }
  return out;
}

export interface StoredExplanation {
  model: WeightPolicy['model'];
  target: number;
  base: number;
  terms: WeightTerm[];
  cause: string;
  computedAt: number;
}

/** Inverse of explanationValues, for the UI: the explanation behind a persisted weight transition. */
export function explanationFromValues(values: Record<string, number>, cause: string, model: WeightPolicy['model'], at: number): StoredExplanation {
  const base = known(values.base) ? values.base : defaultWeightPolicy.base;
  const terms: WeightTerm[] = [];
  let penalties = 0;
  for (const input of TERM_ORDER) {
    const value = values[`value.${input}`];
    if (!known(value)) continue;
    const penalty = values[`penalty.${input}`];
    const p = known(penalty) ? penalty : 0;
    penalties += p;
    terms.push({ input, value, unit: UNIT[input], penalty: p });
  }
  const target = known(values.target) ? values.target : Math.round(Math.min(base, Math.max(0, base - penalties)));
  return { model, target, base, terms, cause, computedAt: at };
}
