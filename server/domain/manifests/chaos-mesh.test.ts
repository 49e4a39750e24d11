import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { chaosMeshProblems } from '../../../test/manifest-schemas';
import { experimentDraftSchema, type ExperimentDraft, type ExperimentSpec } from '../experiments/spec';
import { EXPERIMENT_TEMPLATES, templateByKey } from '../experiments/templates';
import { chaosMeshToExperimentDraft } from './chaos-import';
import { experimentToChaosMesh, type ScheduleMeta } from './chaos-export';
import { EXPERIMENT_ANNOTATION } from './chaos-shared';
import { MAX_YAML_CHARS, NAME_ANNOTATION, type KubeObject } from './documents';

const draftOf = (key: string, more: Partial<ExperimentSpec> = {}): ExperimentDraft => {
  const t = templateByKey(key)!;
  return experimentDraftSchema.parse({ name: `${t.title} test`, description: t.summary, templateKey: t.key, spec: { ...t.spec, ...more } });
};
const spec = (r: KubeObject) => r.spec as Record<string, unknown>;
/** The YAML as a person would get it from a cluster: our annotations gone. */
const withoutAnnotations = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => {
      const o = d.toJS() as { metadata: { annotations?: Record<string, string> } };
      delete o.metadata.annotations;
      return JSON.stringify(o);
    })
    .join('\n---\n');

describe('Chaos Mesh export', () => {
  it.each(EXPERIMENT_TEMPLATES.map((t) => [t.key, t.spec.fault.kind] as const))('template %s: every resource valid against its published CRD', (key) => {
    const out = experimentToChaosMesh(draftOf(key), { namespace: 'shop' });
    for (const r of out.resources) expect(chaosMeshProblems(r), `${String(r.kind)}`).toEqual([]);
    // The YAML string is the same resources.
    expect(parseAllDocuments(out.yaml).map((d) => d.toJS() as unknown)).toEqual(out.resources);
    // What Chaos Mesh cannot do is said, for every template.
    expect(out.notes.join('\n')).toMatch(/Abort conditions .* Chaos Mesh runs the fault for its whole duration/);
    expect(out.notes.join('\n')).toMatch(/Steady-state hypothesis/);
    expect(out.notes.join('\n')).toMatch(/Blast-radius caps \(at most 50 % of a service\)/);
  });

  it('seed jitter: a NetworkChaos delaying 200ms with 300ms jitter on half of edge-gateway for 2m', () => {
    const out = experimentToChaosMesh(draftOf('seed-jitter'), { namespace: 'shop' });
    expect(out.resources).toHaveLength(1);
    const [r] = out.resources;
    expect(r).toMatchObject({ apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'NetworkChaos', metadata: { name: 'network-jitter-on-the-edge-gateway-ingress-test', namespace: 'shop' } });
    expect(r!.spec).toEqual({
      selector: { namespaces: ['shop'], labelSelectors: { app: 'edge-gateway' } },
      mode: 'fixed-percent',
      value: '50',
      duration: '2m',
      action: 'delay',
      delay: { latency: '200ms', jitter: '300ms', correlation: '0' },
    });
    expect(out.yaml).toContain('latency: 200ms');
    expect(out.notes.join('\n')).toMatch(/normal distribution/);
  });

  it('each fault kind becomes its resource: loss, HTTP error, kill, CPU stress; drain and buffer saturation say why not', () => {
    const kinds = Object.fromEntries(EXPERIMENT_TEMPLATES.map((t) => [t.key, experimentToChaosMesh(draftOf(t.key))]));
    expect(spec(kinds['packet-loss']!.resources[0]!)).toMatchObject({ action: 'loss', loss: { loss: '5' }, mode: 'fixed', value: '2' });
    expect(kinds['http-503']!.resources[0]).toMatchObject({ kind: 'HTTPChaos', spec: { target: 'Response', replace: { code: 503 }, port: 80, mode: 'fixed-percent', value: '30' } });
    expect(kinds['http-503']!.notes.join('\n')).toMatch(/HTTP 503 on 20 % of responses: HTTPChaos has no share of requests/);
    expect(kinds['kill-one']!.resources[0]).toMatchObject({ kind: 'PodChaos', spec: { action: 'pod-kill', mode: 'one' } });
    expect(kinds['cpu-stress']!.resources[0]).toMatchObject({ kind: 'StressChaos', spec: { stressors: { cpu: { workers: 1, load: 60 } } } });
    expect(kinds['drain-one']!.resources).toEqual([]);
    expect(kinds['drain-one']!.notes.join('\n')).toMatch(/Drain .* Chaos Mesh has no such fault/);
    expect(kinds['drain-one']!.yaml).toMatch(/^# .*\n# Nothing to apply/);
    expect(kinds['buffer-saturation']!.resources).toEqual([]);
    expect(kinds['buffer-saturation']!.notes.join('\n')).toMatch(/execution stage buffer at 90 %: Chaos Mesh cannot/);
  });

  it('a cohort scopes an HTTPChaos by request header; a delay with a cohort becomes an HTTPChaos delay, the jitter said lost', () => {
    const cohort = { header: 'X-Abtest-Group', value: 'beta' };
    const err = experimentToChaosMesh(draftOf('http-503', { cohort }));
    expect(spec(err.resources[0]!).request_headers).toEqual({ 'X-Abtest-Group': 'beta' });
    const delay = experimentToChaosMesh(draftOf('seed-jitter', { cohort }));
    expect(delay.resources[0]).toMatchObject({ kind: 'HTTPChaos', spec: { target: 'Request', delay: '200ms', request_headers: { 'X-Abtest-Group': 'beta' } } });
    expect(delay.notes.join('\n')).toMatch(/Jitter 300 ms: .* without jitter/);
    for (const r of [...err.resources, ...delay.resources]) expect(chaosMeshProblems(r)).toEqual([]);
  });

  it('targets become the selector: several services by expression, one zone by node label, one cluster as remoteCluster, labels as labels', () => {
    const targets = { regions: [], zones: ['eu-1a'], clusters: ['c1'], services: ['a', 'b'], versions: ['v2'], labels: { tier: 'web' } };
    const out = experimentToChaosMesh(draftOf('kill-one', { targets, selection: { mode: 'random-up-to', pct: 12.5 } }));
    const s = spec(out.resources[0]!);
    expect(s.selector).toEqual({
      namespaces: ['default'],
      labelSelectors: { version: 'v2', tier: 'web' },
      expressionSelectors: [{ key: 'app', operator: 'In', values: ['a', 'b'] }],
      nodeSelectors: { 'topology.kubernetes.io/zone': 'eu-1a' },
    });
    expect(s).toMatchObject({ remoteCluster: 'c1', mode: 'random-max-percent', value: '13' });
    expect(out.notes.join('\n')).toMatch(/Selection 12.5 %: .* whole percentages — written as 13 %/);
    expect(chaosMeshProblems(out.resources[0]!)).toEqual([]);
  });

  it('schedules become Chaos Mesh Schedules embedding the chaos (paused when disabled, replace said unsupported)', () => {
    const schedules: ScheduleMeta[] = [
      { cron: '0 3 * * 1', concurrency: 'forbid', historyLimit: 5, enabled: true },
      { cron: '*/30 * * * *', concurrency: 'replace', historyLimit: 10, enabled: false },
    ];
    const out = experimentToChaosMesh(draftOf('seed-jitter'), { schedules });
    expect(out.resources.map((r) => r.kind)).toEqual(['Schedule', 'Schedule']);
    expect(out.resources[0]!.spec).toMatchObject({ schedule: '0 3 * * 1', concurrencyPolicy: 'Forbid', historyLimit: 5, type: 'NetworkChaos', networkChaos: { action: 'delay', delay: { latency: '200ms' } } });
    expect(out.resources[1]).toMatchObject({ metadata: { annotations: { 'experiment.chaos-mesh.org/pause': 'true' } }, spec: { concurrencyPolicy: 'Forbid' } });
    expect(out.notes.join('\n')).toMatch(/"replace" .* is not a Chaos Mesh concurrency policy/);
    for (const r of out.resources) expect(chaosMeshProblems(r)).toEqual([]);
    const back = chaosMeshToExperimentDraft(out.yaml);
    expect(back.ok && back.value.schedules).toEqual(schedules.map((s) => ({ ...s, concurrency: 'forbid' })));
    expect(back.ok && back.value.draft).toEqual(draftOf('seed-jitter'));
  });

  it('the validator is on: broken resources fail against the CRDs', () => {
    const [r] = experimentToChaosMesh(draftOf('seed-jitter')).resources;
    const broken = (f: (s: Record<string, unknown>) => void) => {
      const copy = structuredClone<KubeObject>(r!);
      f(copy.spec as Record<string, unknown>);
      return chaosMeshProblems(copy);
    };
    expect(broken((s) => ((s.delay as Record<string, unknown>).latency = '200 ms'))).toEqual(expect.arrayContaining([expect.stringMatching(/\/spec\/delay\/latency must match pattern/)]));
    expect(broken((s) => (s.mode = 'some'))).toEqual(expect.arrayContaining([expect.stringMatching(/\/spec\/mode must be equal to one of the allowed values/)]));
    expect(broken((s) => delete s.selector)).toEqual(expect.arrayContaining([expect.stringMatching(/must have required property 'selector'/)]));
    expect(broken((s) => (s.delays = s.delay))).toEqual(expect.arrayContaining([expect.stringMatching(/must NOT have additional properties \(delays\)/)]));
    const [stress] = experimentToChaosMesh(draftOf('cpu-stress')).resources;
    expect(chaosMeshProblems({ ...stress!, spec: { ...spec(stress!), stressors: { cpu: { workers: 1, load: 160 } } } })).toEqual(expect.arrayContaining([expect.stringMatching(/load must be <= 100/)]));
  });
});

describe('Chaos Mesh import', () => {
  it.each(EXPERIMENT_TEMPLATES.filter((t) => !['drain', 'buffer-saturation'].includes(t.spec.fault.kind)).map((t) => [t.key] as const))('template %s: export then import gives back the same experiment', (key) => {
    const draft = draftOf(key);
    const back = chaosMeshToExperimentDraft(experimentToChaosMesh(draft).yaml);
    expect(back).toEqual({ ok: true, value: { draft, schedules: [] }, notes: [] });
  });

  it('round trip with a cohort, several targets and a fractional percentage', () => {
    const draft = draftOf('seed-jitter', {
      cohort: { header: 'X-Abtest-Group', value: 'beta' },
      targets: { regions: ['eu', 'us'], zones: ['eu-1a', 'eu-1b'], clusters: ['c1', 'c2'], services: ['a', 'b'], versions: [], labels: { tier: 'web' } },
      selection: { mode: 'percent', pct: 12.5 },
    });
    expect(chaosMeshToExperimentDraft(experimentToChaosMesh(draft).yaml)).toMatchObject({ ok: true, value: { draft } });
  });

  it('without our annotations (as read from a cluster) the expressible part comes back and the rest is defaulted with notes', () => {
    const draft = draftOf('seed-jitter');
    const back = chaosMeshToExperimentDraft(withoutAnnotations(experimentToChaosMesh(draft).yaml));
    if (!back.ok) throw new Error(back.problems.join('\n'));
    const s = back.value.draft.spec;
    expect({ fault: s.fault, targets: s.targets, selection: s.selection, cohort: s.cohort, durationS: s.durationS }).toEqual({
      fault: draft.spec.fault,
      targets: draft.spec.targets,
      selection: draft.spec.selection,
      cohort: null,
      durationS: 120,
    });
    expect(back.value.draft.name).toBe('network-jitter-on-the-edge-gateway-ingress-test');
    expect(s.abortConditions).toEqual([]);
    expect(back.notes.join('\n')).toMatch(/Abort conditions are not Chaos Mesh fields: none/);
    const http = chaosMeshToExperimentDraft(withoutAnnotations(experimentToChaosMesh(draftOf('http-503')).yaml));
    expect(http.ok && http.value.draft.spec.fault).toEqual({ kind: 'http-error', status: 503, pct: 100 });
    expect(http.ok && http.notes.join('\n')).toMatch(/imported as 100 % of responses/);
  });

  it('reads a hand-written NetworkChaos', () => {
    const yaml = `apiVersion: chaos-mesh.org/v1alpha1
kind: NetworkChaos
metadata:
  name: web-delay
  namespace: shop
spec:
  action: delay
  mode: one
  selector:
    namespaces: [shop]
    labelSelectors: { app: web }
    pods: { shop: [web-0] }
  delay:
    latency: 1.5s
    correlation: "25"
  duration: 30s
`;
    const r = chaosMeshToExperimentDraft(yaml);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.value.draft).toMatchObject({ name: 'web-delay', spec: { fault: { kind: 'delay', delayMs: 1500, jitterMs: 0 }, selection: { mode: 'one' }, durationS: 30, targets: { services: ['web'] } } });
    expect(r.notes.join('\n')).toMatch(/selector's pods has no Switchback equivalent: dropped/);
  });

  it('refuses in words what it does not understand', () => {
    const refused = (yaml: string) => {
      const r = chaosMeshToExperimentDraft(yaml);
      if (r.ok) throw new Error('imported');
      return r.problems.join('\n');
    };
    expect(refused('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n')).toMatch(/No Chaos Mesh resource in the YAML: expected a NetworkChaos, HTTPChaos, PodChaos, StressChaos or Schedule/);
    expect(refused('apiVersion: chaos-mesh.org/v1alpha1\nkind: NetworkChaos\nmetadata: { name: x }\nspec: { action: partition, mode: all, selector: {} }\n')).toMatch(/action "partition": Switchback injects delay and loss/);
    expect(refused('apiVersion: chaos-mesh.org/v1alpha1\nkind: NetworkChaos\nmetadata: { name: x }\nspec: { action: delay, mode: all, selector: {}, delay: {} }\n')).toMatch(/delay.latency .* must be durations/);
    expect(refused('apiVersion: chaos-mesh.org/v1alpha1\nkind: PodChaos\nmetadata: { name: x }\nspec: { action: pod-kill, mode: fixed-percent, value: "0", selector: {} }\n')).toMatch(/fixed-percent needs value: a percentage from 1 to 100/);
    expect(refused('apiVersion: chaos-mesh.org/v1alpha1\nkind: Schedule\nmetadata: { name: x }\nspec: { schedule: "@every 1h", type: IOChaos, ioChaos: {} }\n')).toMatch(/schedules "IOChaos"/);
    expect(refused('- a\n- b\n')).toMatch(/Document 1 is not a mapping/);
    expect(refused('')).toMatch(/The YAML is empty/);
    expect(refused('a: [')).toMatch(/The YAML cannot be read/);
    expect(refused(`# ${'x'.repeat(MAX_YAML_CHARS)}`)).toMatch(/too long: at most 64 KB/);
    expect(refused('a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n')).toMatch(/cannot be read/);
  });

  it('our annotations are only read as written: a forged one is ignored with a note', () => {
    const out = experimentToChaosMesh(draftOf('kill-one'));
    const doc = parse(out.yaml) as KubeObject & { metadata: { annotations: Record<string, string> } };
    doc.metadata.annotations[EXPERIMENT_ANNOTATION] = JSON.stringify({ blastRadius: { maxServicePct: 500 } });
    doc.metadata.annotations[NAME_ANNOTATION] = 'forged';
    const r = chaosMeshToExperimentDraft(JSON.stringify(doc));
    expect(r.ok && r.notes.join('\n')).toMatch(/does not hold what Switchback wrote: ignored/);
    expect(r.ok && r.value.draft.spec.blastRadius.maxServicePct).toBe(50);
  });
});
