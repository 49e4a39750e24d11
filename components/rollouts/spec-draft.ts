// The wizard's and the YAML view's rollout: validated by the one schema the API uses
// (server/domain/rollouts/spec.ts), errors keyed by field path ("steps.2.weight") in words.
// First: no eval under the CSP (components/policies/zod-no-eval.ts), before any schema is built.
import '@/components/policies/zod-no-eval';
import { exampleSpec, rolloutSpecSchema, type AnalysisMetric, type RolloutSpec, type RolloutStep } from '@/server/domain/rollouts/spec';

/** What the form holds: the spec's shape, numbers possibly NaN while a field is empty. */
export type DraftSpec = RolloutSpec;

export type SpecErrors = Record<string, string[]>;

export type Validated = { ok: true; spec: RolloutSpec; errors: SpecErrors } | { ok: false; spec: null; errors: SpecErrors };

export const pathKey = (path: ReadonlyArray<PropertyKey>) => path.map(String).join('.');

export function validateSpec(draft: unknown): Validated {
  const r = rolloutSpecSchema.safeParse(draft);
  if (r.success) return { ok: true, spec: r.data, errors: {} };
  const errors: SpecErrors = {};
  for (const issue of r.error.issues) (errors[pathKey(issue.path)] ??= []).push(issue.message);
  return { ok: false, spec: null, errors };
}

/** Messages at a path and, with `deep`, below it (an analysis step's metric list). */
export function errorsAt(errors: SpecErrors, path: string, deep = false): string[] | undefined {
  const out = deep ? Object.entries(errors).filter(([k]) => k === path || k.startsWith(`${path}.`)).flatMap(([, v]) => v) : (errors[path] ?? []);
  return out.length ? out : undefined;
}

export const DEFAULT_METRICS: AnalysisMetric[] = [
  { metric: 'error-rate', maxIncreasePct: 50 },
  { metric: 'latency', quantile: 95, maxIncreasePct: 20 },
];

/** A new step of a kind, with values a person would most likely pick. */
export function newStep(kind: RolloutStep['kind'], canaryVersion: string): RolloutStep {
  switch (kind) {
    case 'setWeight':
      return { kind, weight: 10 };
    case 'setHeaderRoute':
      return { kind, header: 'X-Abtest-Group', match: 'exact', value: `${canaryVersion || 'v2'}-canary` };
    case 'pause':
      return { kind, seconds: 60 };
    case 'approval':
      return { kind, quorum: 1, expiresInS: 3600, onExpiry: 'stay-paused' };
    case 'analysis':
      return { kind, metrics: DEFAULT_METRICS.map((m) => ({ ...m })), seconds: 120 };
  }
}

export function emptyDraft(service = ''): DraftSpec {
  return { ...exampleSpec(service || 'service'), name: '', service };
}

/** The list with item i moved by d (−1 up, +1 down); unchanged at the ends. */
export function moved<T>(list: readonly T[], i: number, d: -1 | 1): T[] {
  const j = i + d;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const next = [...list];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

export const removed = <T>(list: readonly T[], i: number): T[] => list.filter((_, k) => k !== i);
