import { describe, expect, it } from 'vitest';
import { haproxyConfigSchema } from './haproxy/config';
import { describeConfigIssues, pathInWords } from './config-issues';
import { ADAPTER_REGISTRY } from './registry';

const problems = (config: unknown) => {
  const r = haproxyConfigSchema.safeParse(config);
  return r.success ? '' : describeConfigIssues(r.error);
};
const valid = { sockets: [{ name: 'lb', address: 'unix:/run/a.sock' }], mapDir: '/m', services: [], instances: [] };

describe('adapter configuration problems in words', () => {
  it('names a missing list by its field, not "expected array, received undefined"', () => {
    const { services: _s, ...rest } = valid;
    expect(problems(rest)).toBe('services: missing (expected a list)');
  });

  it('is what Settings shows when a HAProxy configuration is saved without a field', () => {
    const { instances: _i, ...rest } = valid;
    expect(() => ADAPTER_REGISTRY.haproxy.create(rest, { debug: () => undefined })).toThrow(/^instances: missing \(expected a list\)$/);
  });

  it('says what was found instead of a list', () => {
    expect(problems({ ...valid, instances: 'all' })).toBe('instances: expected a list, not text');
  });

  it('names the entry of a list that is wrong', () => {
    expect(problems({ ...valid, services: [{ service: 'a', backend: 'b', versionBackends: {}, headerMap: 'rel.map' }] })).toBe('services[0].headerMap: expected an absolute path');
  });

  it('lists unknown fields by name', () => {
    expect(problems({ ...valid, sokets: [] })).toBe('unknown field "sokets"');
  });

  it('writes paths the way JSON is read', () => {
    expect(pathInWords(['services', 0, 'versionBackends', 'v1'])).toBe('services[0].versionBackends.v1');
    expect(pathInWords([])).toBe('');
  });
});
