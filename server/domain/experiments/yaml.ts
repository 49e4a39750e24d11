// The same chaos experiment as YAML, validated by the one zod schema (experimentDraftSchema), with
// every problem pointing at its line. The document is the draft under a `kind: ChaosExperiment`
// marker:
//
//   kind: ChaosExperiment        # optional when parsing; anything else is refused
//   name: edge jitter
//   description: 200 ms ± 300 ms on the edge-gateway ingress
//   templateKey: seed-jitter     # or null
//   spec:
//     fault: { kind: delay, delayMs: 200, jitterMs: 300 }
//     targets: { services: [edge-gateway] }
//     selection: { mode: percent, pct: 50 }
//     blastRadius: { maxServicePct: 50 }
//     durationS: 120
//     abortConditions:
//       - { kind: availability-below, pct: 95, windowS: 30 }
//
// Parsing, bounds (64 KB, few aliases, core schema) and line numbers: server/domain/yaml-document.ts.
import { stringify } from 'yaml';
import { MAX_YAML_CHARS, parseKindDocument, type YamlIssue } from '../yaml-document';
import { experimentDraftSchema, type ExperimentDraft } from './spec';

export { MAX_YAML_CHARS, type YamlIssue };
export const EXPERIMENT_KIND = 'ChaosExperiment';

export type ParseExperimentResult = { ok: true; draft: ExperimentDraft } | { ok: false; issues: YamlIssue[] };

/** The draft as YAML: kind first, then name, description, template, and the spec in a fixed order. */
export function experimentToYaml(draft: ExperimentDraft): string {
  const { name, description, templateKey, spec } = draft;
  const { fault, targets, selection, blastRadius, cohort, durationS, steadyState, abortConditions, availabilityTargetPct, baselineS, observeS } = spec;
  return stringify(
    {
      kind: EXPERIMENT_KIND,
      name,
      description,
      templateKey,
      spec: { fault, targets, selection, blastRadius, cohort, durationS, steadyState, abortConditions, availabilityTargetPct, baselineS, observeS },
    },
    { lineWidth: 0, version: '1.2' },
  );
}

export function parseExperimentYaml(text: string): ParseExperimentResult {
  const r = parseKindDocument(text, EXPERIMENT_KIND, experimentDraftSchema, 'name, description and spec');
  return r.ok ? { ok: true, draft: r.value } : r;
}
