// The same rollout as YAML, validated by the one zod schema (rolloutSpecSchema), with every
// problem pointing at its line. The document is the spec's fields under a `kind: Rollout` marker:
//
//   kind: Rollout                # optional when parsing; anything else is refused
//   name: checkout v2
//   service: checkout
//   stableVersion: v1
//   canaryVersion: v2
//   alpha: 0.01
//   backgroundAnalysis:          # or null
//     metrics: [{ metric: error-rate, maxIncreasePct: 50 }]
//   steps:
//     - { kind: setHeaderRoute, header: X-Abtest-Group, match: exact, value: v2-canary }
//     - { kind: setWeight, weight: 5 }
//     - { kind: pause }          # no seconds = until resumed
//
// Parsing, bounds and line numbers: server/domain/yaml-document.ts (shared with experiments).
import { stringify } from 'yaml';
import { MAX_YAML_CHARS, parseKindDocument, type YamlIssue } from '../yaml-document';
import { rolloutSpecSchema, type RolloutSpec } from './spec';

export { MAX_YAML_CHARS, type YamlIssue };
export const ROLLOUT_KIND = 'Rollout';

export type ParseSpecResult = { ok: true; spec: RolloutSpec } | { ok: false; issues: YamlIssue[] };

/** The spec as YAML, `kind: Rollout` first, steps last (the long part). */
export function specToYaml(spec: RolloutSpec): string {
  const { name, service, stableVersion, canaryVersion, alpha, backgroundAnalysis, steps } = spec;
  return stringify({ kind: ROLLOUT_KIND, name, service, stableVersion, canaryVersion, alpha, backgroundAnalysis, steps }, { lineWidth: 0, version: '1.2' });
}

export function parseSpecYaml(text: string): ParseSpecResult {
  const r = parseKindDocument(text, ROLLOUT_KIND, rolloutSpecSchema, 'the rollout fields');
  return r.ok ? { ok: true, spec: r.value } : r;
}
