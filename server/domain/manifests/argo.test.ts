import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { argoProblems } from '../../../test/manifest-schemas';
import { specFor } from '../../../test/rollout-fixtures';
import { exampleSpec, rolloutSpecSchema, type RolloutSpec } from '../rollouts/spec';
import { argoToRolloutDraft } from './argo-import';
import { rolloutToArgo } from './argo-export';
import type { KubeObject } from './documents';

/** Rollouts the export must handle: the seed's, and each step kind and option on its own. */
const FIXTURES: Array<[string, RolloutSpec]> = [
  ['seed example', exampleSpec('checkout')],
  ['weights and timed pauses', specFor('order-api', [{ kind: 'setWeight', weight: 10 }, { kind: 'pause', seconds: 90 }, { kind: 'setWeight', weight: 100 }])],
  ['pause until resumed', specFor('order-api', [{ kind: 'setWeight', weight: 25 }, { kind: 'pause' }])],
  ['regex header route', specFor('web', [{ kind: 'setHeaderRoute', header: 'X-Beta', match: 'regex', value: '^(alpha|beta)$' }, { kind: 'setWeight', weight: 0 }])],
  ['prefix header route', specFor('web', [{ kind: 'setHeaderRoute', header: 'X-Team', match: 'prefix', value: 'sre-' }])],
  [
    'approval that aborts, odd analysis length',
    specFor('payments', [
      { kind: 'setWeight', weight: 5 },
      { kind: 'analysis', metrics: [{ metric: 'latency', quantile: 99, maxIncreasePct: 12.5 }], seconds: 37 },
      { kind: 'approval', quorum: 3, expiresInS: 5400, onExpiry: 'abort' },
    ], { alpha: 0.001 }),
  ],
  ['background analysis only', specFor('search', [{ kind: 'setWeight', weight: 50 }], { backgroundAnalysis: { metrics: [{ metric: 'error-rate', maxIncreasePct: 1000 }, { metric: 'latency', quantile: 50, maxIncreasePct: 1 }] } })],
];

const rolloutOf = (resources: KubeObject[]) => resources.find((r) => r.kind === 'Rollout') as { spec: { strategy: { canary: Record<string, unknown> } } } & KubeObject;

describe('Argo Rollouts export', () => {
  it.each(FIXTURES)('%s: the Rollout and its AnalysisTemplates pass the Argo Rollouts models', (_name, spec) => {
    const out = rolloutToArgo(rolloutSpecSchema.parse(spec), { namespace: 'shop' });
    for (const r of out.resources) expect(argoProblems(r), String(r.kind)).toEqual([]);
    expect(parseAllDocuments(out.yaml).map((d) => d.toJS() as unknown)).toEqual(out.resources);
    expect(out.notes.join('\n')).toMatch(/zone guards .* freeze windows, the global halt/);
  });

  it('the seed rollout: canary steps, the header route through a managed route, analysis as AnalysisTemplates', () => {
    const out = rolloutToArgo(exampleSpec('checkout'), { namespace: 'shop' });
    expect(out.resources.map((r) => `${String(r.kind)}/${String((r.metadata as { name: string }).name)}`)).toEqual(['Rollout/checkout', 'AnalysisTemplate/checkout-step-3', 'AnalysisTemplate/checkout-background']);
    const canary = rolloutOf(out.resources).spec.strategy.canary;
    expect(canary.steps).toEqual([
      { setHeaderRoute: { name: 'switchback-header-route', match: [{ headerName: 'X-Abtest-Group', headerValue: { exact: 'v2-canary' } }] } },
      { setWeight: 5 },
      { analysis: { templates: [{ templateName: 'checkout-step-3' }], args: [{ name: 'service', value: 'checkout' }, { name: 'canary-version', value: 'v2' }, { name: 'stable-version', value: 'v1' }] } },
      { pause: {} },
      { setWeight: 20 },
      { pause: { duration: '1m' } },
      { setWeight: 50 },
      { pause: { duration: '1m' } },
    ]);
    expect(canary.trafficRouting).toEqual({ managedRoutes: [{ name: 'switchback-header-route' }], istio: { virtualService: { name: 'checkout', routes: ['primary'] } } });
    expect(canary.analysis).toMatchObject({ templates: [{ templateName: 'checkout-background' }] });
    const step = out.resources[1] as { spec: { metrics: Array<Record<string, unknown>> } };
    expect(step.spec.metrics.map((m) => [m.name, m.interval, m.count, m.successCondition, m.failureCondition, m.failureLimit])).toEqual([
      ['error-rate', '1m', 2, 'result[0] <= 1.5', 'result[0] > 1.5', 0],
      ['latency-p95', '1m', 2, 'result[0] <= 1.2', 'result[0] > 1.2', 0],
    ]);
    expect(step.spec.metrics[1]!.provider).toEqual({ prometheus: { address: expect.stringMatching(/^http:\/\//) as unknown, query: expect.stringContaining('histogram_quantile(0.95') as unknown } });
    const notes = out.notes.join('\n');
    expect(notes).toMatch(/anytime-valid sequential test .* α = 0.01/);
    expect(notes).toMatch(/Step 4, approval by 1 person expiring after 1h .* quorum, the approver role, the expiry/);
    expect(notes).toMatch(/Istio/);
  });

  it('the validator is on: a broken Rollout or AnalysisTemplate fails the model', () => {
    const out = rolloutToArgo(exampleSpec('checkout'));
    const ro = structuredClone(rolloutOf(out.resources));
    (ro.spec.strategy.canary.steps as unknown[])[1] = { setWeight: 'five' };
    expect(argoProblems(ro).join('\n')).toMatch(/setWeight must be integer/);
    const tpl = structuredClone(out.resources[1]!) as { spec: { metrics: Array<Record<string, unknown>> } } & KubeObject;
    tpl.spec.metrics[0]!.successCondition = 5;
    expect(argoProblems(tpl).join('\n')).toMatch(/successCondition must be string/);
    expect(argoProblems({ ...tpl, spec: { metrics: 'x' } }).join('\n')).toMatch(/metrics must be array/);
  });
});

describe('Argo Rollouts import', () => {
  it.each(FIXTURES)('%s: export then import gives back the same spec', (_name, spec) => {
    const parsed = rolloutSpecSchema.parse(spec);
    expect(argoToRolloutDraft(rolloutToArgo(parsed).yaml)).toEqual({ ok: true, value: parsed, notes: [] });
  });

  it('without our annotation (as read from a cluster): steps and analysis come back, the rest defaulted with notes', () => {
    const out = rolloutToArgo(exampleSpec('checkout'));
    const stripped = out.resources.map((r) => {
      const c = structuredClone(r) as { metadata: Record<string, unknown> };
      delete c.metadata.annotations;
      return stringify(c);
    });
    const r = argoToRolloutDraft(stripped.join('---\n'));
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const want = exampleSpec('checkout');
    expect(r.value).toEqual({ ...want, name: 'checkout v2', stableVersion: 'stable', steps: want.steps.map((s) => (s.kind === 'approval' ? { kind: 'pause' } : s)) });
    const notes = r.notes.join('\n');
    expect(notes).toMatch(/stable version is not in an Argo Rollout .* "stable"/);
    expect(notes).toMatch(/α is not an Argo field: set to 0.01/);
    expect(notes).toMatch(/pause without duration is imported as a pause until resumed/);
  });

  it('reads a hand-written Rollout, dropping what Switchback has no step for', () => {
    const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: guestbook }
spec:
  template:
    spec:
      containers: [{ name: guestbook, image: "argoproj/rollouts-demo:blue" }]
  strategy:
    canary:
      steps:
        - setWeight: 20
        - pause: { duration: 1h30m }
        - setCanaryScale: { replicas: 3 }
        - pause: {}
---
apiVersion: v1
kind: Service
metadata: { name: guestbook }
`;
    const r = argoToRolloutDraft(yaml);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.value).toMatchObject({ name: 'guestbook blue', service: 'guestbook', canaryVersion: 'blue', stableVersion: 'stable', steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause', seconds: 5400 }, { kind: 'pause' }] });
    const notes = r.notes.join('\n');
    expect(notes).toMatch(/Step 3 \(setCanaryScale\) has no Switchback equivalent: dropped/);
    expect(notes).toMatch(/Service "guestbook" \(document 2\) is not an Argo Rollout or AnalysisTemplate: ignored/);
  });

  it('refuses in words what it cannot read', () => {
    const refused = (yaml: string) => {
      const r = argoToRolloutDraft(yaml);
      if (r.ok) throw new Error('imported');
      return r.problems.join('\n');
    };
    const base = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: { name: web }\n';
    expect(refused('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n')).toMatch(/No Argo Rollout in the YAML/);
    expect(refused(`${base}spec: { strategy: { blueGreen: { activeService: web } } }\n`)).toMatch(/blue-green strategy/);
    expect(refused(`${base}spec: { strategy: { canary: {} } }\n`)).toMatch(/no canary steps/);
    expect(refused(`${base}spec: { strategy: { canary: { steps: [{ analysis: { templates: [{ templateName: gone }] } }] } } }\n`)).toMatch(/names the analysis template "gone", which is not in the YAML/);
    expect(refused(`${base}spec: { strategy: { canary: { steps: [{ pause: { duration: soon } }] } } }\n`)).toMatch(/pause duration "soon" is not a duration/);
    expect(refused(`${base}spec: { strategy: { canary: { steps: [{ setWeight: 150 }] } } }\n`)).toMatch(/steps.0.weight: Weight: at most 100 %/);
    expect(refused(`${base}---\n${base}`)).toMatch(/2 Rollouts in the YAML/);
    expect(refused('kind: [')).toMatch(/cannot be read/);
  });

  it('an analysis template with metrics of someone else is refused, with the dropped metrics named', () => {
    const out = rolloutToArgo(specFor('web', [{ kind: 'analysis', metrics: [{ metric: 'error-rate', maxIncreasePct: 10 }], seconds: 60 }]));
    const docs = out.resources.map((r) => structuredClone(r)) as Array<KubeObject & { spec: { metrics?: Array<Record<string, unknown>> } }>;
    docs[1]!.spec.metrics![0]!.name = 'apdex';
    const r = argoToRolloutDraft(docs.map((d) => stringify(d)).join('---\n'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join('\n')).toMatch(/has no metric Switchback can judge/);
    expect(parse(stringify(docs[0])) as unknown).toEqual(docs[0]);
  });
});
