import { describe, expect, it } from 'vitest';
import { defaultPolicies } from './policy-defaults';
import { diffPolicies, fieldSpecs, POLICY_KINDS, validatePolicy, withDefaults } from './policy-schemas';

describe('policy documents', () => {
  it('accepts every default document, and every number field has a spec with its unit', () => {
    for (const k of POLICY_KINDS) expect(validatePolicy(k, defaultPolicies[k]).ok).toBe(true);
    expect(fieldSpecs('watermark').find((f) => f.path === 'breakPct')).toMatchObject({ label: 'Stage-break watermark', unit: '%', min: 1, max: 100 });
    expect(fieldSpecs('weight').map((f) => f.path)).toContain('thresholds.p95Ms');
  });

  it('refuses bad values field by field, in words', () => {
    const r = validatePolicy('watermark', { ...defaultPolicies.watermark, breakPct: 140, breakHoldS: -1, extra: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.breakPct).toEqual(['Stage-break watermark: at most 100 %']);
    expect(r.errors.breakHoldS).toEqual(['Stage-break hold: at least 0 s']);
    expect(r.errors.document?.[0]).toMatch(/unknown field\(s\) extra/);
    const order = validatePolicy('watermark', { ...defaultPolicies.watermark, degradePct: 97 });
    expect(order.ok ? null : order.errors.breakPct).toEqual(['Watermarks must rise: elevated < degrade < stage-break']);
    const strat = validatePolicy('strategy', { order: [{ name: 'canary', enabled: true }, { name: 'canary', enabled: false }, { name: 'weighted', enabled: true }] });
    expect(strat.ok ? null : strat.errors['order']).toEqual(['Strategy order: each strategy once']);
  });

  it('diffs documents field by field and fills missing fields from the defaults', () => {
    const b = { ...defaultPolicies.watermark, breakPct: 90, ingress: { ...defaultPolicies.watermark.ingress, writeTimeoutMs: 300 } };
    expect(diffPolicies(defaultPolicies.watermark, b)).toEqual([
      { path: 'breakPct', before: 95, after: 90 },
      { path: 'ingress.writeTimeoutMs', before: 200, after: 300 },
    ]);
    expect(diffPolicies(b, b)).toEqual([]);
    expect(withDefaults('watermark', { breakPct: 90 })).toEqual({ ...defaultPolicies.watermark, breakPct: 90 });
  });
});
