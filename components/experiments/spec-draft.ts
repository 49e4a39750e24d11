// The experiment form's draft, validated by the one schema the API uses
// (server/domain/experiments/spec.ts experimentDraftSchema); errors keyed by path ("spec.fault.delayMs").
// First: no eval under the CSP (components/policies/zod-no-eval.ts), before any schema is built.
import '@/components/policies/zod-no-eval';
import { experimentDraftSchema, type Condition, type ExperimentDraft, type ExperimentSpec, type FaultSpecValue, type Selection } from '@/server/domain/experiments/spec';

export type DraftErrors = Record<string, string[]>;
export type Validated = { ok: true; draft: ExperimentDraft; errors: DraftErrors } | { ok: false; draft: null; errors: DraftErrors };

const pathKey = (path: ReadonlyArray<PropertyKey>) => path.map(String).join('.');

export function validateDraft(draft: unknown): Validated {
  const r = experimentDraftSchema.safeParse(draft);
  if (r.success) return { ok: true, draft: r.data, errors: {} };
  const errors: DraftErrors = {};
  for (const issue of r.error.issues) (errors[pathKey(issue.path)] ??= []).push(issue.message);
  return { ok: false, draft: null, errors };
}

/** Messages at a path and, with `deep`, below it. */
export function errorsAt(errors: DraftErrors, path: string, deep = false): string[] | undefined {
  const out = deep ? Object.entries(errors).filter(([k]) => k === path || k.startsWith(`${path}.`)).flatMap(([, v]) => v) : (errors[path] ?? []);
  return out.length ? out : undefined;
}

/** A fault of a kind with the values a person would most likely pick. */
export function newFault(kind: FaultSpecValue['kind']): FaultSpecValue {
  switch (kind) {
    case 'delay':
      return { kind, delayMs: 200, jitterMs: 300 };
    case 'loss':
      return { kind, pct: 5 };
    case 'http-error':
      return { kind, status: 503, pct: 20 };
    case 'kill':
    case 'drain':
      return { kind };
    case 'cpu-stress':
      return { kind, pct: 60 };
    case 'buffer-saturation':
      return { kind, stage: 'execution', fillPct: 90 };
  }
}

export function newSelection(mode: Selection['mode']): Selection {
  switch (mode) {
    case 'all':
    case 'one':
      return { mode };
    case 'count':
      return { mode, count: 1 };
    case 'percent':
    case 'random-up-to':
      return { mode, pct: 10 };
  }
}

export function newCondition(kind: Condition['kind']): Condition {
  switch (kind) {
    case 'availability-below':
      return { kind, pct: 95, windowS: 30 };
    case 'p99-above':
      return { kind, ms: 1000, windowS: 30 };
    case 'breakers-open-above':
      return { kind, count: 2 };
    case 'degraded-at-least':
      return { kind, count: 3 };
  }
}

/** A new experiment from a template's spec (deep copy: the form edits it). */
export function draftFromTemplate(t: { key: string; title: string; spec: ExperimentSpec }): ExperimentDraft {
  return { name: '', description: t.title, templateKey: t.key, spec: structuredClone(t.spec) };
}
