import { describe, expect, it } from 'vitest';
import { formatCount, formatVersions, orderedStates, plural, registryStatus } from './format';

describe('formatVersions', () => {
  it('lists versions with their instance counts', () => {
    expect(formatVersions({ v2: 5, v1: 25 })).toBe('v1 ×25 · v2 ×5');
  });
  it('orders versions naturally', () => {
    expect(formatVersions({ v10: 1, v2: 3 })).toBe('v2 ×3 · v10 ×1');
  });
  it('writes counts with thousands separators', () => {
    expect(formatVersions({ v1: 3125, v2: 625 })).toBe('v1 ×3,125 · v2 ×625');
  });
  it('shows a dash for a service without instances', () => {
    expect(formatVersions({})).toBe('—');
  });
});

describe('registryStatus', () => {
  it('says applied once the workers caught up', () => {
    expect(registryStatus(3, 3)).toEqual({ label: 'v3 (applied)', applied: true });
  });
  it('says applying while the workers are behind', () => {
    expect(registryStatus(4, 3)).toEqual({ label: 'v4 (applying…)', applied: false });
  });
});

describe('orderedStates', () => {
  it('puts ready first and unknown states last', () => {
    expect(orderedStates({ maint: 1, other: 2, ready: 9, drain: 3 }).map(([s]) => s)).toEqual(['ready', 'drain', 'maint', 'other']);
  });
});

describe('formatCount and plural', () => {
  it('write thousands separators like Topology does', () => {
    expect(formatCount(10004)).toBe('10,004');
    expect(formatCount(3750)).toBe('3,750');
    expect(formatCount(126)).toBe('126');
    expect(plural(1440, 'instance')).toBe('1,440 instances');
    expect(plural(1, 'zone')).toBe('1 zone');
  });
});
