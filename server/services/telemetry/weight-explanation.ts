// The current weight of an instance in words, built from its latest `weight` transition (whose
// values the domain wrote with explanationValues). Pure: unit-tested, and shared by the instance
// query and the live feed so both say exactly the same thing.
import type { WeightPolicy, WeightTerm } from '../../domain/model';
import { describeTerm, explanationFromValues } from '../../domain/weights';

export interface ExplainedTerm extends WeightTerm {
  /** "− 31 from P95 1240 ms". */
  text: string;
  /** The policy's alert threshold for this input (null where the policy has none, e.g. memory). */
  threshold: number | null;
  /** The input is above its alert threshold. */
  over: boolean;
}

export interface WeightExplanationView {
  target: number;
  base: number;
  model: WeightPolicy['model'];
  terms: ExplainedTerm[];
  /** Why it was recomputed, in words: "P95 1240 ms crossed 1200 ms". */
  cause: string;
  /** Epoch ms of the recompute. */
  computedAt: number;
  /** Target weight before this recompute (null for the first one). */
  previousTarget: number | null;
  /** "Target 55 = 100 − 31 from P95 1240 ms − 12 from CPU 40 % − 2.4 from 600 connections; recomputed because P95 1240 ms crossed 1200 ms". */
  sentence: string;
}

type Thresholds = WeightPolicy['thresholds'];

function thresholdOf(input: WeightTerm['input'], th: Thresholds): number | null {
  if (input === 'cpu') return th.cpuPct;
  if (input === 'p95' || input === 'latency') return th.p95Ms;
  if (input === 'connections') return th.connections;
  return null;
}

const MINUS = '\u2212';

/** The cause as the end of the sentence: a crossing is a reason, a schedule is a fact. */
function causeClause(cause: string): string {
  if (!cause) return '';
  if (/^periodic/i.test(cause)) return `; recomputed by the ${cause}`;
  if (/^first computation/i.test(cause)) return '; first computation';
  return `; recomputed because ${cause}`;
}

export function explainWeight(
  t: { values: unknown; cause: string; at: number; fromState: string },
  policy: Pick<WeightPolicy, 'model' | 'thresholds'>,
): WeightExplanationView {
  const values = numericRecord(t.values);
  const e = explanationFromValues(values, t.cause, policy.model, t.at);
  const terms: ExplainedTerm[] = e.terms.map((term) => {
    const threshold = thresholdOf(term.input, policy.thresholds);
    return { ...term, text: describeTerm(term).replace(MINUS, `${MINUS} `), threshold, over: threshold !== null && term.value > threshold };
  });
  const previous = Number(t.fromState);
  // "− 0.0 from CPU 2 %" says nothing: the sentence names the inputs that took points off.
  const taking = terms.filter((x) => x.penalty >= 0.05);
  let sentence: string;
  if (terms.length === 0 && e.target === 0) {
    // Drained, down or in maintenance: no input took points off, the instance is out.
    sentence = `Target 0: ${e.cause || 'taken out of rotation'}`;
  } else if (terms.length === 0) {
    sentence = `Target ${fmt(e.target)} = base ${fmt(e.base)}: no input measured yet${causeClause(e.cause)}`;
  } else if (taking.length === 0) {
    sentence = `Target ${fmt(e.target)} = base ${fmt(e.base)}: no input takes points off${causeClause(e.cause)}`;
  } else {
    sentence = `Target ${fmt(e.target)} = ${fmt(e.base)} ${taking.map((x) => x.text).join(' ')}${causeClause(e.cause)}`;
  }
  return {
    target: e.target,
    base: e.base,
    model: e.model,
    terms,
    cause: e.cause,
    computedAt: e.computedAt,
    previousTarget: t.fromState !== 'none' && Number.isFinite(previous) ? previous : null,
    sentence,
  };
}

/** The one-line reason for a table cell: the input that took most points off ("− 31 from P95 1240 ms"). */
export function whyText(e: WeightExplanationView): string {
  const top = [...e.terms].sort((a, b) => b.penalty - a.penalty)[0];
  if (top && top.penalty >= 0.5) return top.text;
  return e.terms.length ? 'no input takes a point off' : e.sentence;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Transition values are JSON: keep the finite numbers only. */
export function numericRecord(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'number' && Number.isFinite(x)) out[k] = x;
  }
  return out;
}
