import { describe, expect, it } from 'vitest';
import { effectiveResolution, pickResolution, rangeInput, rawBucketS, resolveRange, stepSeconds } from './telemetry-range';

const H = 3600_000;
const t0 = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('pickResolution', () => {
  it('reads raw samples up to 2 h, 60 s rollups up to 48 h, 600 s rollups beyond', () => {
    expect(pickResolution(t0 - 5 * 60_000, t0)).toBe('raw');
    expect(pickResolution(t0 - 2 * H, t0)).toBe('raw');
    expect(pickResolution(t0 - 2 * H - 1, t0)).toBe(60);
    expect(pickResolution(t0 - 24 * H, t0)).toBe(60);
    expect(pickResolution(t0 - 48 * H, t0)).toBe(60);
    expect(pickResolution(t0 - 48 * H - 1, t0)).toBe(600);
    expect(pickResolution(t0 - 30 * 24 * H, t0)).toBe(600);
  });

  it('treats an empty or inverted range as the finest', () => {
    expect(pickResolution(t0, t0)).toBe('raw');
    expect(pickResolution(t0, t0 - H)).toBe('raw');
  });
});

describe('effectiveResolution', () => {
  const from = t0 - H;
  it('keeps raw while raw samples reach back to the start of the range', () => {
    expect(effectiveResolution('raw', from, from - 1000, from - 10 * H)).toBe('raw');
    expect(effectiveResolution('raw', from, from + 30_000, from - 10 * H)).toBe('raw');
  });
  it('steps up to 60 s rollups when raw samples were pruned before the range starts', () => {
    expect(effectiveResolution('raw', from, from + 20 * 60_000, from - 10 * H)).toBe(60);
    expect(effectiveResolution('raw', from, null, from - 10 * H)).toBe(60);
  });
  it('keeps raw on a young platform whose rollups do not reach back to the start of the range', () => {
    // The first rollup bucket starts on the minute before the first sample: still younger than the range.
    expect(effectiveResolution('raw', from, from + 20 * 60_000, from + 19 * 60_000)).toBe('raw');
    expect(effectiveResolution('raw', from, from + 20 * 60_000, null)).toBe('raw');
  });
  it('never changes a rollup resolution', () => {
    expect(effectiveResolution(60, from, null, null)).toBe(60);
    expect(effectiveResolution(600, from, from, from)).toBe(600);
  });
});

describe('raw buckets and steps', () => {
  it('sends 5 minutes of raw samples as written, longer raw ranges in buckets of at most 1200 points', () => {
    expect(rawBucketS(t0 - 5 * 60_000, t0)).toBe(0);
    expect(rawBucketS(t0 - 20 * 60_000, t0)).toBe(0);
    expect(rawBucketS(t0 - H, t0)).toBe(3);
    expect(rawBucketS(t0 - 2 * H, t0)).toBe(6);
  });
  it('reports the step between points', () => {
    expect(stepSeconds('raw', t0 - 5 * 60_000, t0)).toBe(1);
    expect(stepSeconds('raw', t0 - H, t0)).toBe(3);
    expect(stepSeconds(60, t0 - 24 * H, t0)).toBe(60);
    expect(stepSeconds(600, t0 - 7 * 24 * H, t0)).toBe(600);
  });
});

describe('range input', () => {
  it('accepts the last N seconds or fixed bounds, and resolves them against now', () => {
    expect(resolveRange(rangeInput.parse({ lastS: 300 }), t0)).toEqual({ fromMs: t0 - 300_000, toMs: t0 });
    expect(resolveRange(rangeInput.parse({ from: t0 - H, to: t0 }), t0 + H)).toEqual({ fromMs: t0 - H, toMs: t0 });
  });
  it('refuses an inverted range and one longer than 31 days', () => {
    expect(rangeInput.safeParse({ from: t0, to: t0 - 1 }).success).toBe(false);
    expect(rangeInput.safeParse({ from: t0 - 32 * 24 * H, to: t0 }).success).toBe(false);
    expect(rangeInput.safeParse({ lastS: 1 }).success).toBe(false);
  });
});
