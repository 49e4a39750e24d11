// Over random valid rollouts and experiments: every exported resource passes its published schema
// (the Argo Rollouts models, Chaos Mesh's CRDs), and importing the export gives back the same spec.
// Margins and percentages are kept to a few decimals here: the manifests write them as numbers a
// person reads (a ratio 1.2, a loss "5"), and the export rounds them to 6 decimals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argoProblems, chaosMeshProblems } from '../../../test/manifest-schemas';
import { experimentDraftSchema, type ExperimentDraft } from '../experiments/spec';
import { rolloutSpecSchema, type RolloutSpec } from '../rollouts/spec';
import { argoToRolloutDraft } from './argo-import';
import { rolloutToArgo } from './argo-export';
import { chaosMeshToExperimentDraft } from './chaos-import';
import { experimentToChaosMesh } from './chaos-export';

const text = fc.oneof(fc.constantFrom('checkout', 'order api', 'true', '1.0', 'a: b', '#x', "it's", 'é ü 漢字', 'v2-canary'), fc.string({ minLength: 1, maxLength: 30 }));
const version = fc.oneof(fc.constantFrom('v1', 'v2', '1.4.0', 'true', '10', 'rc_1'), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,10}$/));
const margin = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 100, max: 100_000 }).map((x) => x / 100));
const metric = fc.oneof(
  fc.record({ metric: fc.constant('error-rate' as const), maxIncreasePct: margin }),
  fc.record({ metric: fc.constant('latency' as const), quantile: fc.constantFrom(50, 90, 95, 99), maxIncreasePct: margin }),
);
const metrics = fc.uniqueArray(metric, { minLength: 1, maxLength: 4, selector: (m) => (m.metric === 'latency' ? `l${m.quantile}` : m.metric) });
const step = fc.oneof(
  fc.record({ kind: fc.constant('setWeight'), weight: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('setHeaderRoute'), header: fc.constantFrom('X-Abtest-Group', 'X-User-Id'), match: fc.constantFrom('exact', 'prefix'), value: fc.constantFrom('beta', 'true', '1.0', 'a/b') }),
  fc.record({ kind: fc.constant('pause'), seconds: fc.integer({ min: 1, max: 604_800 }) }, { requiredKeys: ['kind'] }),
  fc.record({ kind: fc.constant('approval'), quorum: fc.integer({ min: 1, max: 10 }), expiresInS: fc.integer({ min: 60, max: 604_800 }), onExpiry: fc.constantFrom('stay-paused', 'abort') }),
  fc.record({ kind: fc.constant('analysis'), metrics, seconds: fc.integer({ min: 10, max: 86_400 }) }),
);
const rolloutArb: fc.Arbitrary<RolloutSpec> = fc
  .record({ name: text, service: text, stableVersion: version, canaryVersion: version, steps: fc.array(step, { minLength: 1, maxLength: 10 }), backgroundAnalysis: fc.oneof(fc.constant(null), fc.record({ metrics })), alpha: fc.constantFrom(0.001, 0.01, 0.05) })
  .map((c) => rolloutSpecSchema.safeParse(c))
  .filter((r) => r.success)
  .map((r) => r.data);

const pct = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 10_000 }).map((x) => x / 100));
const names = fc.array(fc.constantFrom('a', 'b', 'eu-1', 'c-1', 'order-api'), { maxLength: 3 }).map((xs) => [...new Set(xs)]);
const condition = fc.oneof(
  fc.record({ kind: fc.constant('availability-below'), pct: fc.integer({ min: 1, max: 100 }), windowS: fc.integer({ min: 5, max: 3600 }) }),
  fc.record({ kind: fc.constant('degraded-at-least'), count: fc.integer({ min: 1, max: 100 }) }),
);
const fault = fc.oneof(
  fc.record({ kind: fc.constant('delay'), delayMs: fc.integer({ min: 0, max: 600_000 }), jitterMs: fc.integer({ min: 0, max: 600_000 }) }),
  fc.record({ kind: fc.constant('loss'), pct }),
  fc.record({ kind: fc.constant('http-error'), status: fc.integer({ min: 400, max: 599 }), pct }),
  fc.record({ kind: fc.constant('kill') }),
  fc.record({ kind: fc.constant('cpu-stress'), pct }),
);
const requestKinds = ['delay', 'loss', 'http-error'];
const experimentArb: fc.Arbitrary<ExperimentDraft> = fc
  .record({
    name: text,
    description: fc.string({ maxLength: 40 }),
    templateKey: fc.constantFrom(null, 'seed-jitter'),
    spec: fc.record({
      fault,
      targets: fc.record({ regions: names, zones: names, clusters: names, services: names, versions: names, labels: fc.dictionary(fc.constantFrom('tier', 'team', 'app'), fc.constantFrom('web', 'x')) }),
      selection: fc.oneof(
        fc.constant({ mode: 'all' }),
        fc.constant({ mode: 'one' }),
        fc.record({ mode: fc.constant('count'), count: fc.integer({ min: 1, max: 10_000 }) }),
        fc.record({ mode: fc.constantFrom('percent', 'random-up-to'), pct: fc.integer({ min: 100, max: 10_000 }).map((x) => x / 100) }),
      ),
      cohort: fc.option(fc.record({ header: fc.constantFrom('X-Abtest-Group'), value: fc.constantFrom('beta', '1') }), { nil: null }),
      durationS: fc.integer({ min: 10, max: 86_400 }),
      abortConditions: fc.array(condition, { maxLength: 3 }),
    }),
  })
  // A cohort only on the kinds that act on requests (the refusals say the same).
  .map((c) => ({ ...c, spec: { ...c.spec, cohort: requestKinds.includes(c.spec.fault.kind) ? c.spec.cohort : null } }))
  .map((c) => experimentDraftSchema.safeParse(c))
  .filter((r) => r.success)
  .map((r) => r.data);

// CPU-bound with no condition to wait for: the limit only stops a runaway loop on a busy machine.
describe('manifests — properties', () => {
  it('a rollout exports to valid Argo Rollouts resources and imports back to the same spec', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(rolloutArb, (spec) => {
        const out = rolloutToArgo(spec);
        for (const r of out.resources) expect(argoProblems(r)).toEqual([]);
        expect(argoToRolloutDraft(out.yaml)).toEqual({ ok: true, value: spec, notes: [] });
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('an experiment exports to resources valid against the Chaos Mesh CRDs and imports back to the same experiment', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(experimentArb, (draft) => {
        const out = experimentToChaosMesh(draft);
        for (const r of out.resources) expect(chaosMeshProblems(r)).toEqual([]);
        const back = chaosMeshToExperimentDraft(out.yaml);
        expect(back).toMatchObject({ ok: true, value: { draft } });
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});
