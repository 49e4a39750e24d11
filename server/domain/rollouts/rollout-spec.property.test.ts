// Properties of the plan and the YAML view over random valid specs: the routing stays a valid
// split, guards hold only steps that raise canary traffic, and spec → YAML → spec is the identity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desiredCanaryPct, raisesCanary, routingAt } from './plan';
import { rolloutSpecSchema, type RolloutSpec } from './spec';
import { parseSpecYaml, specToYaml } from './yaml';

// Strings a YAML writer must quote to keep them strings: booleans, numbers, nulls, indicators.
const tricky = fc.constantFrom('true', 'no', 'null', '~', '1.0', '0x1F', '1e3', '- a', 'a: b', '#x', "it's", '"q"', '{a}', '[b]', '&anchor', '*alias', '!tag', '%', '@', '`', 'é ü', '漢字', '😀', ' lead', 'trail ', 'v2-canary');
const plainish = fc.string({ minLength: 1, maxLength: 30 });
const value = fc.oneof(tricky, plainish);
const version = fc.oneof(fc.constantFrom('v1', 'v2', '1.4', '1.4.0', 'true', '10', 'v2-canary', 'rc_1'), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,10}$/));
const header = fc.oneof(fc.constantFrom('X-Abtest-Group', 'X-User-Id', 'X-Device-Type', 'X-Trace-ID'), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,20}$/));
const metric = fc.oneof(
  fc.record({ metric: fc.constant('error-rate' as const), maxIncreasePct: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ metric: fc.constant('latency' as const), quantile: fc.constantFrom(50, 90, 95, 99), maxIncreasePct: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1, max: 1000, noNaN: true })) }),
);
const metrics = fc.uniqueArray(metric, { minLength: 1, maxLength: 4, selector: (m) => (m.metric === 'latency' ? `l${m.quantile}` : m.metric) });
const step = fc.oneof(
  fc.record({ kind: fc.constant('setWeight'), weight: fc.integer({ min: 0, max: 100 }) }),
  fc.oneof(
    fc.record({ kind: fc.constant('setHeaderRoute'), header, match: fc.constantFrom('exact', 'prefix'), value }),
    fc.record({ kind: fc.constant('setHeaderRoute'), header, match: fc.constant('regex'), value: fc.constantFrom('^ios', 'a|b', '[0-9]+$', '.*') }),
  ),
  fc.record({ kind: fc.constant('pause'), seconds: fc.integer({ min: 1, max: 604_800 }) }, { requiredKeys: ['kind'] }),
  fc.record({ kind: fc.constant('approval'), quorum: fc.integer({ min: 1, max: 10 }), expiresInS: fc.integer({ min: 60, max: 604_800 }), onExpiry: fc.constantFrom('stay-paused', 'abort') }),
  fc.record({ kind: fc.constant('analysis'), metrics, seconds: fc.integer({ min: 10, max: 86_400 }) }),
);

/** Valid specs: candidates through the schema itself (so trimming and refinements apply). */
const specArb: fc.Arbitrary<RolloutSpec> = fc
  .record({
    name: value,
    service: fc.oneof(fc.constantFrom('order-api', 'checkout'), value),
    stableVersion: version,
    canaryVersion: version,
    steps: fc.array(step, { minLength: 1, maxLength: 12 }),
    backgroundAnalysis: fc.oneof(fc.constant(null), fc.record({ metrics })),
    alpha: fc.constantFrom(0.001, 0.01, 0.05),
  })
  .map((c) => rolloutSpecSchema.safeParse(c))
  .filter((r) => r.success)
  .map((r) => r.data);

// CPU-bound with no condition to wait for: the limit only stops a runaway loop on a busy machine.
describe('plan — properties', () => {
  it('every step routes 100 % between stable and canary, header rules to the canary only', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        for (let i = -1; i < spec.steps.length; i++) {
          const r = routingAt(spec, i);
          const w = desiredCanaryPct(spec, i);
          // Independently: the weight of the last setWeight so far, 0 before any.
          const last = spec.steps.slice(0, i + 1).findLast((s) => s.kind === 'setWeight');
          expect(w).toBe(last?.kind === 'setWeight' ? last.weight : 0);
          expect(r.versionWeights).toEqual({ [spec.stableVersion]: 100 - w, [spec.canaryVersion]: w });
          expect(r.headerRules.every((h) => h.version === spec.canaryVersion)).toBe(true);
          // Rules only accumulate: the previous step's rules are a prefix of this step's.
          if (i >= 0) expect(r.headerRules.slice(0, routingAt(spec, i - 1).headerRules.length)).toEqual(routingAt(spec, i - 1).headerRules);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a step raises canary traffic exactly when it adds weight or a header rule', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        spec.steps.forEach((_, i) => {
          const before = routingAt(spec, i - 1);
          const after = routingAt(spec, i);
          const more = after.versionWeights[spec.canaryVersion]! > before.versionWeights[spec.canaryVersion]! || after.headerRules.length > before.headerRules.length;
          expect(raisesCanary(spec, i)).toBe(more);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('YAML — properties', () => {
  it('spec → YAML → spec is the identity', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const back = parseSpecYaml(specToYaml(spec));
        expect(back).toEqual({ ok: true, spec });
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary text, and answers issues with a path and a message', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), specArb.map((s) => specToYaml(s).slice(0, Math.floor(specToYaml(s).length / 2)))), (text) => {
        const r = parseSpecYaml(text);
        if (!r.ok) for (const i of r.issues) expect(typeof i.message === 'string' && i.message.length > 0 && typeof i.path === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
