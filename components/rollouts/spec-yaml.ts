// The same rollout as YAML: written from the form's spec, read back and validated by the one
// schema; every problem names its line (the YAML's own syntax errors and the schema's field errors).
import { LineCounter, parseDocument, stringify, isNode } from 'yaml';
import { pathKey, validateSpec, type SpecErrors } from './spec-draft';
import type { RolloutSpec } from '@/server/domain/rollouts/spec';

export interface YamlProblem {
  /** 1-based line, null when the problem has no place (an empty document). */
  line: number | null;
  /** The field path ("steps.2.weight"), empty for syntax errors. */
  path: string;
  message: string;
}

export type YamlRead = { ok: true; spec: RolloutSpec; problems: [] } | { ok: false; value: unknown; problems: YamlProblem[]; errors: SpecErrors };

/** Field order as a person reads it; NaN (an empty number field) is written as null so YAML stays valid. */
export function specToYaml(spec: unknown): string {
  return stringify(spec, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), { lineWidth: 0 });
}

export function readYaml(text: string): YamlRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? null : lines.linePos(offset).line);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      value: null,
      errors: {},
      problems: doc.errors.map((e) => ({ line: lineOf(e.pos[0]), path: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    };
  }
  const value: unknown = doc.toJS();
  const v = validateSpec(value);
  if (v.ok) return { ok: true, spec: v.spec, problems: [] };
  const problems: YamlProblem[] = [];
  for (const [path, messages] of Object.entries(v.errors)) {
    const parts = path === '' ? [] : path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    // The deepest node that exists on the path: a missing field points at its parent.
    let line: number | null = null;
    for (let n = parts.length; n >= 0 && line === null; n--) {
      const node: unknown = n === 0 ? doc.contents : doc.getIn(parts.slice(0, n), true);
      if (isNode(node) && node.range) line = lineOf(node.range[0]);
    }
    for (const message of messages) problems.push({ line, path, message });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ok: false, value, problems, errors: v.errors };
}

export { pathKey };
