import { describe, expect, it } from 'vitest';
import { customRangeError, parseTime, rangeFromParams, rangeInputOf, rangeToQuery } from './time-range';

const params = (q: string) => new URLSearchParams(q);

describe('time range in the URL', () => {
  it('reads live, 1h and 24h, and defaults to live', () => {
    expect(rangeFromParams(params('range=live'))).toEqual({ kind: 'live' });
    expect(rangeFromParams(params('range=1h'))).toEqual({ kind: 'last', key: '1h' });
    expect(rangeFromParams(params('range=24h'))).toEqual({ kind: 'last', key: '24h' });
    expect(rangeFromParams(params(''))).toEqual({ kind: 'live' });
    expect(rangeFromParams(params('range=banana'))).toEqual({ kind: 'live' });
  });

  it('reads a custom range from ISO times or epoch ms, and ignores an invalid one', () => {
    expect(rangeFromParams(params('from=2026-11-22T10:00:00Z&to=2026-11-22T11:00:00Z'))).toEqual({ kind: 'custom', from: Date.UTC(2026, 10, 22, 10), to: Date.UTC(2026, 10, 22, 11) });
    expect(rangeFromParams(params('from=1795338600000&to=1795342200000'))).toEqual({ kind: 'custom', from: 1795338600000, to: 1795342200000 });
    expect(rangeFromParams(params('from=2026-11-22T11:00:00Z&to=2026-11-22T10:00:00Z&range=1h'))).toEqual({ kind: 'last', key: '1h' });
    expect(parseTime('yesterday')).toBeNull();
  });

  it('writes a range back, keeping the other parameters, and round-trips', () => {
    expect(rangeToQuery({ kind: 'last', key: '24h' }, params('sort=cpu&range=live'))).toBe('?sort=cpu&range=24h');
    const custom = { kind: 'custom' as const, from: Date.UTC(2026, 10, 22, 10), to: Date.UTC(2026, 10, 22, 11) };
    const q = rangeToQuery(custom, params('from=1&to=2&q=euw'));
    expect(q).toBe('?q=euw&from=2026-11-22T10%3A00%3A00.000Z&to=2026-11-22T11%3A00%3A00.000Z');
    expect(rangeFromParams(params(q.slice(1)))).toEqual(custom);
  });

  it('gives the API a relative range for live, 1h and 24h (stable query keys) and bounds for custom', () => {
    expect(rangeInputOf({ kind: 'live' })).toEqual({ lastS: 300 });
    expect(rangeInputOf({ kind: 'last', key: '1h' })).toEqual({ lastS: 3600 });
    expect(rangeInputOf({ kind: 'custom', from: 1, to: 2 })).toEqual({ from: 1, to: 2 });
  });

  it('checks a custom range (datetime-local values: components/ui/format-time.test.ts)', () => {
    const t = Date.UTC(2026, 10, 22, 9, 5);
    expect(customRangeError(t, t - 1, t)).toBe('The end must be after the start.');
    expect(customRangeError(null, t, t)).toBe('Enter both a start and an end.');
    expect(customRangeError(t - 3600_000, t, t)).toBeNull();
  });
});
