// The same rollout as YAML: written from the form's spec and read back by the domain's YAML module
// (server/domain/rollouts/yaml.ts: bounded, validated by the one schema, problems by line).
import '@/components/policies/zod-no-eval';
import { parseSpecYaml, specToYaml as domainSpecToYaml } from '@/server/domain/rollouts/yaml';
import type { RolloutSpec } from '@/server/domain/rollouts/spec';
import type { SpecErrors } from './spec-draft';

export interface YamlProblem {
  /** 1-based line, null when the problem has no place. */
  line: number | null;
  /** The field path ("steps.2.weight"), empty for the document (syntax errors). */
  path: string;
  message: string;
}

export type YamlRead = { ok: true; spec: RolloutSpec } | { ok: false; problems: YamlProblem[]; errors: SpecErrors };

/** The form's draft as YAML; an empty number field (NaN) is written as null, which the schema names. */
export function specToYaml(draft: RolloutSpec): string {
  return domainSpecToYaml(JSON.parse(JSON.stringify(draft)) as RolloutSpec);
}

export function readYaml(text: string): YamlRead {
  const r = parseSpecYaml(text);
  if (r.ok) return r;
  const problems = r.issues.map((i) => ({ line: i.line ?? null, path: i.path, message: i.message })).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const errors: SpecErrors = {};
  for (const p of problems) (errors[p.path] ??= []).push(p.message);
  return { ok: false, problems, errors };
}
