import { describe, expect, it } from 'vitest';
import { experimentDraftSchema } from './spec';
import { EXPERIMENT_TEMPLATES } from './templates';
import { experimentToYaml, MAX_YAML_CHARS, parseExperimentYaml } from './yaml';

const doc = `kind: ChaosExperiment
name: edge jitter
spec:
  fault:
    kind: delay
    delayMs: 200
    jitterMs: 300
  targets:
    services: [edge-gateway]
  durationS: 120
  abortConditions:
    - { kind: availability-below, pct: 95, windowS: 30 }
`;

describe('experiment YAML', () => {
  it('writes kind: ChaosExperiment first and reads every template back unchanged', () => {
    for (const t of EXPERIMENT_TEMPLATES) {
      const draft = experimentDraftSchema.parse({ name: t.title, description: t.summary, templateKey: t.key, spec: t.spec });
      const text = experimentToYaml(draft);
      expect(text.split('\n')[0]).toBe('kind: ChaosExperiment');
      expect(parseExperimentYaml(text)).toEqual({ ok: true, draft });
    }
  });

  it('reads a hand-written document with defaults applied; kind optional', () => {
    const r = parseExperimentYaml(doc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.draft).toMatchObject({ name: 'edge jitter', description: '', templateKey: null });
    expect(r.draft.spec).toMatchObject({ fault: { kind: 'delay', delayMs: 200, jitterMs: 300 }, selection: { mode: 'all' }, availabilityTargetPct: 99.9, baselineS: 60, observeS: 120, cohort: null });
    expect(r.draft.spec.targets).toEqual({ regions: [], zones: [], clusters: [], services: ['edge-gateway'], versions: [], labels: {} });
    expect(parseExperimentYaml(doc.replace('kind: ChaosExperiment\n', '')).ok).toBe(true);
  });

  it('points a schema problem at its line', () => {
    expect(parseExperimentYaml(doc.replace('delayMs: 200', 'delayMs: 900000'))).toEqual({ ok: false, issues: [{ path: 'spec.fault.delayMs', line: 6, message: 'delayMs: expected at most 600000 ms' }] });
    expect(parseExperimentYaml(doc.replace('durationS: 120', 'durationS: 5'))).toEqual({ ok: false, issues: [{ path: 'spec.durationS', line: 10, message: 'Duration: at least 10 s' }] });
    expect(parseExperimentYaml(doc.replace('pct: 95', 'pct: 120'))).toEqual({ ok: false, issues: [{ path: 'spec.abortConditions.0.pct', line: 12, message: 'Availability: expected a percentage from 0 to 100' }] });
    const unknown = parseExperimentYaml(doc.replace('  durationS: 120', '  durationS: 120\n  color: red'));
    expect(unknown.ok === false && unknown.issues.map((i) => [i.path, i.line])).toEqual([['spec.color', 11]]);
    const quoted = parseExperimentYaml(doc.replace('services: [edge-gateway]', 'versions: [1.4]'));
    expect(quoted.ok === false && quoted.issues[0]!.message).toBe('Expected text (YAML reads 1.4 as a number: put it in quotes, "1.4")');
    expect(parseExperimentYaml(doc.replace('name: edge jitter\n', ''))).toMatchObject({ ok: false, issues: [{ path: 'name' }] });
  });

  it('refuses another kind, a non-mapping, and input past the bounds', () => {
    expect(parseExperimentYaml(doc.replace('kind: ChaosExperiment', 'kind: Rollout'))).toEqual({ ok: false, issues: [{ path: 'kind', line: 1, message: 'kind: expected ChaosExperiment' }] });
    expect(parseExperimentYaml('- a\n')).toEqual({ ok: false, issues: [{ path: '', line: 1, message: 'Expected a mapping: kind: ChaosExperiment, then name, description and spec' }] });
    expect(parseExperimentYaml(doc + '#'.repeat(MAX_YAML_CHARS))).toEqual({ ok: false, issues: [{ path: '', message: 'The YAML is too long: at most 64 KB' }] });
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(parseExperimentYaml(bomb.join('\n'))).toMatchObject({ ok: false, issues: [{ path: '', message: expect.stringMatching(/^The YAML cannot be read/) as unknown }] });
  });
});
