import { describe, expect, it } from 'vitest';
import { exampleSpec } from '@/server/domain/rollouts/spec';
import { moved, newStep, validateSpec } from './spec-draft';
import { readYaml, specToYaml } from './spec-yaml';

describe('the rollout as YAML', () => {
  it('round-trips the example spec unchanged', () => {
    const spec = exampleSpec('order-api');
    const back = readYaml(specToYaml(spec));
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.spec).toEqual(spec);
  });

  it('names the line of a field the schema refuses', () => {
    const text = specToYaml(exampleSpec('order-api')).replace('weight: 20', 'weight: 120');
    const line = text.split('\n').findIndex((l) => l.includes('weight: 120')) + 1;
    const r = readYaml(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ line, path: 'steps.4.weight', message: 'Weight: at most 100 %' }]);
  });

  it('names the line of a YAML syntax error', () => {
    const r = readYaml('name: a\nservice: [unclosed\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]?.path).toBe('');
      expect(r.problems[0]?.line).toBeGreaterThanOrEqual(2);
    }
  });

  it('points a missing field at its parent', () => {
    const r = readYaml('name: x\nservice: order-api\nstableVersion: v1\ncanaryVersion: v2\nsteps:\n  - kind: setWeight\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.find((p) => p.path === 'steps.0.weight')?.line).toBe(6);
  });

  it('writes an empty number field as null, which the schema names', () => {
    const spec = { ...exampleSpec('order-api'), steps: [{ kind: 'setWeight' as const, weight: Number.NaN }] };
    const text = specToYaml(spec);
    expect(text).toContain('weight: null');
    const r = readYaml(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors['steps.0.weight']).toEqual(['Weight: expected a percentage']);
  });
});

describe('the wizard draft', () => {
  it('refuses the same canary and stable version next to the canary field', () => {
    expect(validateSpec({ ...exampleSpec('order-api'), canaryVersion: 'v1' }).errors).toEqual({ canaryVersion: ['The canary version must differ from the stable version'] });
  });

  it('offers new steps the schema accepts', () => {
    for (const kind of ['setWeight', 'setHeaderRoute', 'pause', 'approval', 'analysis'] as const) {
      expect(validateSpec({ ...exampleSpec('order-api'), steps: [newStep(kind, 'v2')] }).ok, kind).toBe(true);
    }
  });

  it('moves a step up and down, and not past the ends', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
