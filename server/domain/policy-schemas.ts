// What a valid policy document is (SPEC §3, §4.5), with the unit of every field, and the field
// descriptions the editor renders. Errors name the field and the allowed range in words.
import { z } from 'zod';
import { defaultPolicies } from './policy-defaults';
import { text } from './inputs';

export type PolicyKind = keyof typeof defaultPolicies;
export const POLICY_KINDS = ['weight', 'watermark', 'breaker', 'strategy'] as const satisfies readonly PolicyKind[];

export interface FieldSpec {
  /** Dot path in the document, e.g. "thresholds.cpuPct". */
  path: string;
  label: string;
  unit: string;
  kind: 'number' | 'select';
  min?: number;
  max?: number;
  step?: number;
  options?: readonly string[];
  help?: string;
}

const n = (label: string, unit: string, min: number, max: number, step = 1, help?: string) => ({ label, unit, min, max, step, help });
type NumberSpec = ReturnType<typeof n>;

/** "between 0 and 1", "between 1 and 100 %": the range in words, the unit only when there is one. */
const range = (s: NumberSpec) => `between ${s.min} and ${s.max}${s.unit ? ` ${s.unit}` : ''}`;

const num = (path: string, s: NumberSpec) =>
  z
    .number({ error: `${s.label}: enter a number ${range(s)}` })
    .min(s.min, `${s.label}: at least ${s.min}${s.unit ? ` ${s.unit}` : ''}`)
    .max(s.max, `${s.label}: at most ${s.max}${s.unit ? ` ${s.unit}` : ''}`)
    .refine((v) => s.step >= 1 ? Number.isInteger(v) : true, `${s.label}: enter a whole number ${range(s)}`)
    .describe(path);

const WEIGHT_FIELDS = {
  base: n('Base weight', '', 1, 1000),
  'normalisers.cpuPct': n('CPU normaliser', '%', 1, 1000),
  'normalisers.p95Ms': n('P95 normaliser', 'ms', 1, 600000),
  'normalisers.connections': n('Connections normaliser', 'connections', 1, 10000000),
  'coefficients.latency': n('Latency coefficient', '', 0, 1, 0.01),
  'coefficients.cpu': n('CPU coefficient', '', 0, 1, 0.01),
  'coefficients.connections': n('Connections coefficient', '', 0, 1, 0.01),
  latencyScaleMs: n('Latency scale (exp-latency)', 'ms', 1, 600000),
  'thresholds.cpuPct': n('CPU alert threshold', '%', 1, 100),
  'thresholds.p95Ms': n('P95 alert threshold', 'ms', 1, 600000),
  'thresholds.connections': n('Connections alert threshold', 'connections', 1, 10000000),
  periodicRecomputeS: n('Periodic recompute', 's', 1, 3600),
  smoothingWindowS: n('Smoothing window (linear transition)', 's', 0, 3600),
  'cadencesS.cpu': n('CPU sampled every', 's', 1, 600),
  'cadencesS.p95': n('P95 sampled every', 's', 1, 600),
  'cadencesS.connections': n('Connections sampled every', 's', 1, 600),
};
const WATERMARK_FIELDS = {
  elevatedPct: n('Elevated watermark', '%', 1, 100),
  degradePct: n('Degrade watermark', '%', 1, 100),
  breakPct: n('Stage-break watermark', '%', 1, 100),
  breakHoldS: n('Stage-break hold', 's', 0, 600),
  stepDownHoldS: n('Step-down hold (hysteresis)', 's', 0, 3600),
  routeSwitchMinBrokenStages: n('Route switch after broken stages', 'stages', 1, 5),
  'ingress.capacityBytes': n('Ingress buffer capacity', 'bytes', 1024, 1073741824),
  'ingress.writeTimeoutMs': n('Ingress write timeout', 'ms', 1, 60000),
  'ingress.timeoutsToIsolate': n('Write timeouts to isolate', 'timeouts', 1, 1000),
};
const BREAKER_FIELDS = {
  alpha: n('EWMA α', '', 0.01, 1, 0.01),
  factor: n('Open when rt exceeds threshold ×', '×', 1, 10, 0.1),
  concurrencyFraction: n('…and in-flight above', 'of max concurrency', 0.05, 1, 0.05),
  windowS: n('Sample window', 's', 1, 3600),
  minSamples: n('Minimum samples', 'samples', 1, 100000),
  staticErrorRatio: n('Static fallback error ratio', 'fraction', 0.01, 1, 0.01),
  coolDownS: n('Cool-down', 's', 1, 3600),
  halfOpenProbes: n('Half-open probes', 'requests', 1, 1000),
};

/** Builds a nested zod object from dot paths. */
function nested(fields: Record<string, NumberSpec>, extra: Record<string, z.ZodType> = {}): z.ZodType {
  const tree: Record<string, unknown> = { ...extra };
  for (const [path, spec] of Object.entries(fields)) {
    const parts = path.split('.');
    let node = tree;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = num(path, spec);
  }
  const build = (t: Record<string, unknown>): z.ZodType => z.object(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v instanceof z.ZodType ? v : build(v as Record<string, unknown>)]))).strict();
  return build(tree);
}

const STRATEGIES = ['canary', 'zone-aware', 'weighted'] as const;

export const policySchemas: Record<PolicyKind, z.ZodType> = {
  weight: nested(WEIGHT_FIELDS, { model: z.enum(['linear-decay', 'exp-latency'], { error: 'Model: linear-decay or exp-latency' }) }),
  watermark: nested(WATERMARK_FIELDS).refine(
    (d) => {
      const w = d as { elevatedPct: number; degradePct: number; breakPct: number };
      return w.elevatedPct < w.degradePct && w.degradePct < w.breakPct;
    },
    { message: 'Watermarks must rise: elevated < degrade < stage-break', path: ['breakPct'] },
  ),
  breaker: nested(BREAKER_FIELDS),
  strategy: z
    .object({
      order: z
        .array(z.object({ name: z.enum(STRATEGIES), enabled: z.boolean() }).strict())
        .length(3, 'Strategy order: list canary, zone-aware and weighted once each')
        .refine((o) => new Set(o.map((s) => s.name)).size === 3, 'Strategy order: each strategy once'),
    })
    .strict(),
};

/** The publish message: said in the history and on the timeline. Shared by the form and the server. */
/** A publish message: one bounded text (no NUL, no lone surrogates), required. */
export const policyMessage = text(500, { min: 1, multiline: true, required: 'Say what changed and why' });

export function fieldSpecs(kind: PolicyKind): FieldSpec[] {
  const fromNumbers = (fields: Record<string, NumberSpec>): FieldSpec[] => Object.entries(fields).map(([path, s]) => ({ path, kind: 'number', ...s }));
  switch (kind) {
    case 'weight':
      return [{ path: 'model', label: 'Model', unit: '', kind: 'select', options: ['linear-decay', 'exp-latency'] }, ...fromNumbers(WEIGHT_FIELDS)];
    case 'watermark':
      return fromNumbers(WATERMARK_FIELDS);
    case 'breaker':
      return fromNumbers(BREAKER_FIELDS);
    case 'strategy':
      return [];
  }
}

/** Validates a document; field errors keyed by dot path, in words. */
export function validatePolicy(kind: PolicyKind, doc: unknown): { ok: true; document: Record<string, unknown> } | { ok: false; errors: Record<string, string[]> } {
  const r = policySchemas[kind].safeParse(doc);
  if (r.success) return { ok: true, document: r.data as Record<string, unknown> };
  const errors: Record<string, string[]> = {};
  for (const i of r.error.issues) {
    const key = i.path.join('.') || 'document';
    const msg = i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.message;
    (errors[key] ??= []).push(msg);
  }
  return { ok: false, errors };
}

export interface DiffLine {
  path: string;
  before: unknown;
  after: unknown;
}

function flatten(v: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = Array.isArray(v) ? JSON.stringify(v) : v;
  return out;
}

/** Field-level differences between two documents (what changed from `a` to `b`). */
export function diffPolicies(a: unknown, b: unknown): DiffLine[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
  return keys.filter((k) => fa[k] !== fb[k]).map((k) => ({ path: k, before: fa[k] ?? null, after: fb[k] ?? null }));
}

/** A stored document merged over the defaults (older documents may lack newer fields). */
export function withDefaults(kind: PolicyKind, doc: unknown): Record<string, unknown> {
  const base = structuredClone(defaultPolicies[kind]) as Record<string, unknown>;
  const merge = (t: Record<string, unknown>, s: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(s)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof t[k] === 'object' && t[k] !== null && !Array.isArray(t[k])) merge(t[k] as Record<string, unknown>, v as Record<string, unknown>);
      else t[k] = v;
    }
  };
  if (doc && typeof doc === 'object') merge(base, doc as Record<string, unknown>);
  return base;
}
