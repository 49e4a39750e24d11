import { describe, expect, it } from 'vitest';
import { exampleSpec } from './spec';
import { MAX_YAML_CHARS, parseSpecYaml, specToYaml } from './yaml';

const doc = `kind: Rollout
name: order-api v2
service: order-api
stableVersion: v1
canaryVersion: v2
steps:
  - kind: setWeight
    weight: 20
  - kind: pause
`;

describe('rollout YAML', () => {
  it('writes kind: Rollout first and reads its own output back', () => {
    const spec = exampleSpec('order-api');
    const text = specToYaml(spec);
    expect(text.split('\n')[0]).toBe('kind: Rollout');
    expect(parseSpecYaml(text)).toEqual({ ok: true, spec });
  });

  it('reads a hand-written document, defaults applied, kind optional', () => {
    const r = parseSpecYaml(doc);
    expect(r).toEqual({ ok: true, spec: { name: 'order-api v2', service: 'order-api', stableVersion: 'v1', canaryVersion: 'v2', steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause' }], backgroundAnalysis: null, alpha: 0.01 } });
    expect(parseSpecYaml(doc.replace('kind: Rollout\n', '')).ok).toBe(true);
  });

  it('points a schema problem at its YAML line', () => {
    const r = parseSpecYaml(doc.replace('weight: 20', 'weight: 120'));
    expect(r).toEqual({ ok: false, issues: [{ path: 'steps.0.weight', line: 8, message: 'Weight: at most 100 %' }] });
    const unknown = parseSpecYaml(doc.replace('  - kind: pause\n', '  - kind: pause\n    secs: 5\n'));
    expect(unknown.ok === false && unknown.issues.map((i) => [i.path, i.line])).toEqual([['steps.1.secs', 10]]);
    // A block value: the problem is on the key's line.
    const empty = parseSpecYaml(doc.replace(/steps:[\s\S]*$/, 'steps:\n  []\n'));
    expect(empty.ok === false && empty.issues).toEqual([{ path: 'steps', line: 6, message: 'Add at least one step' }]);
    const number = parseSpecYaml(doc.replace('canaryVersion: v2', 'canaryVersion: 1.4'));
    expect(number.ok === false && number.issues).toEqual([{ path: 'canaryVersion', line: 5, message: 'Expected text (YAML reads 1.4 as a number: put it in quotes, "1.4")' }]);
    const missing = parseSpecYaml(doc.replace('canaryVersion: v2\n', ''));
    expect(missing.ok === false && missing.issues[0]!.path).toBe('canaryVersion');
    const same = parseSpecYaml(doc.replace('canaryVersion: v2', 'canaryVersion: v1'));
    expect(same.ok === false && same.issues).toEqual([{ path: 'canaryVersion', line: 5, message: 'The canary version must differ from the stable version' }]);
  });

  it('refuses a wrong kind, a syntax error, a duplicate key and a non-mapping with a line', () => {
    expect(parseSpecYaml(doc.replace('kind: Rollout', 'kind: Experiment'))).toEqual({ ok: false, issues: [{ path: 'kind', line: 1, message: 'kind: expected Rollout' }] });
    const syntax = parseSpecYaml('name: [a, b\nservice: x\n');
    expect(syntax.ok === false && syntax.issues[0]!.line).toBeGreaterThanOrEqual(1);
    const dup = parseSpecYaml(doc + 'name: again\n');
    expect(dup.ok === false && dup.issues[0]).toMatchObject({ line: 10, message: expect.stringMatching(/unique/i) as unknown });
    expect(parseSpecYaml('- a\n- b\n')).toMatchObject({ ok: false, issues: [{ path: '', message: expect.stringMatching(/Expected a mapping/) as unknown }] });
  });

  it('is bounded: too long, an alias bomb, deep nesting', () => {
    expect(parseSpecYaml(doc + '#'.repeat(MAX_YAML_CHARS))).toEqual({ ok: false, issues: [{ path: '', message: 'The YAML is too long: at most 64 KB' }] });
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = Date.now();
    const r = parseSpecYaml(bomb.join('\n'));
    expect(r).toMatchObject({ ok: false, issues: [{ path: '', message: expect.stringMatching(/cannot be read/) as unknown }] });
    expect(Date.now() - started).toBeLessThan(2000);
    const deep = parseSpecYaml('a: ' + '['.repeat(60_000) + ']'.repeat(60_000).slice(0, MAX_YAML_CHARS - 60_010));
    expect(deep.ok === false && deep.issues[0]!.message).toMatch(/nested too deeply/);
  });
});
