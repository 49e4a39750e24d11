import { describe, expect, it } from 'vitest';
import { defaultWeightPolicy } from './policy-defaults';
import { FRESH, inputAges, initialSampled, sampleInputs, sampleTolerance, SAMPLE_TOLERANCE_MS } from './sampling';
import { seededRandom } from './seeded-random';

const T0 = 1_700_000_000_000;
const cadences = defaultWeightPolicy.cadencesS;
const reading = (k: number) => ({ cpuPct: 10 + k, p95Ms: 100 + k, connections: 1000 + k, memPct: 50 + k });

/** Seconds (from T0) at which each input took a sample over `ticks` ticks at the given times. */
function sampleTimes(times: number[], cad = cadences, tolerance?: number) {
  const s = initialSampled();
  const at = { cpu: [] as number[], p95: [] as number[], connections: [] as number[], mem: [] as number[] };
  times.forEach((now, k) => {
    const fresh = sampleInputs(s, reading(k), now, cad, tolerance);
    for (const key of ['cpu', 'p95', 'connections', 'mem'] as const) if (fresh & FRESH[key]) at[key].push(Math.round((now - T0) / 1000));
  });
  return { s, at };
}

describe('sampleInputs (SPEC §3.1 cadences: CPU 5 s, P95 3 s, connections 10 s)', () => {
  it('takes every input on the first tick', () => {
    const s = initialSampled();
    const fresh = sampleInputs(s, { cpuPct: 40, p95Ms: 1240, connections: 600 }, T0, cadences);
    expect(fresh).toBe(FRESH.cpu | FRESH.p95 | FRESH.connections);
    expect(s.cpu).toEqual({ value: 40, at: T0 });
    expect(s.p95).toEqual({ value: 1240, at: T0 });
    expect(s.connections).toEqual({ value: 600, at: T0 });
    expect(s.mem).toEqual({ value: null, at: null });
  });

  it('on 1 s ticks each input refreshes exactly on its cadence', () => {
    const times = Array.from({ length: 31 }, (_, k) => T0 + k * 1000);
    const { at } = sampleTimes(times);
    expect(at.cpu).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(at.p95).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    expect(at.connections).toEqual([0, 10, 20, 30]);
    expect(at.mem).toEqual(at.cpu);
  });

  it('between samples the value stands even when the telemetry moves', () => {
    const s = initialSampled();
    sampleInputs(s, { cpuPct: 40 }, T0, cadences);
    sampleInputs(s, { cpuPct: 99 }, T0 + 1000, cadences);
    sampleInputs(s, { cpuPct: 98 }, T0 + 4000, cadences);
    expect(s.cpu).toEqual({ value: 40, at: T0 });
    sampleInputs(s, { cpuPct: 97 }, T0 + 5000, cadences);
    expect(s.cpu).toEqual({ value: 97, at: T0 + 5000 });
  });

  it('tolerates tick jitter without slipping a cadence or sampling a tick early', () => {
    const rnd = seededRandom(99);
    const times = Array.from({ length: 61 }, (_, k) => T0 + k * 1000 + (k === 0 ? 0 : rnd.int(-40, 40)));
    const { at } = sampleTimes(times);
    expect(at.cpu).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
    expect(at.connections).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  it('the tolerance stays under half a tick, so fast ticks do not sample early', () => {
    expect(sampleTolerance(1000)).toBe(SAMPLE_TOLERANCE_MS);
    expect(sampleTolerance(200)).toBe(80);
    expect(sampleTolerance(null)).toBe(SAMPLE_TOLERANCE_MS);
    const times = Array.from({ length: 51 }, (_, k) => T0 + k * 200);
    const s = initialSampled();
    const cpuAt: number[] = [];
    times.forEach((now, k) => {
      if (sampleInputs(s, reading(k), now, cadences, sampleTolerance(200)) & FRESH.cpu) cpuAt.push(now - T0);
    });
    expect(cpuAt).toEqual([0, 5000, 10_000]);
  });

  it('a value missing when due keeps the old sample aging, and is taken on the next tick that has one', () => {
    const s = initialSampled();
    sampleInputs(s, { p95Ms: 300 }, T0, cadences);
    sampleInputs(s, {}, T0 + 3000, cadences);
    expect(s.p95).toEqual({ value: 300, at: T0 });
    expect(inputAges(s, T0 + 3000).p95).toBe(3000);
    const fresh = sampleInputs(s, { p95Ms: 450 }, T0 + 4000, cadences);
    expect(fresh & FRESH.p95).toBeTruthy();
    expect(s.p95).toEqual({ value: 450, at: T0 + 4000 });
  });

  it('non-finite readings are not samples', () => {
    const s = initialSampled();
    expect(sampleInputs(s, { cpuPct: Number.NaN, p95Ms: Infinity }, T0, cadences)).toBe(0);
    expect(s.cpu.at).toBeNull();
  });

  it('cadences come from the policy', () => {
    const times = Array.from({ length: 13 }, (_, k) => T0 + k * 1000);
    const { at } = sampleTimes(times, { cpu: 2, p95: 6, connections: 4 });
    expect(at.cpu).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(at.p95).toEqual([0, 6, 12]);
    expect(at.connections).toEqual([0, 4, 8, 12]);
  });
});

describe('inputAges', () => {
  it('null before the first sample, then ms since it', () => {
    const s = initialSampled();
    expect(inputAges(s, T0)).toEqual({ cpu: null, p95: null, connections: null });
    sampleInputs(s, { cpuPct: 1, p95Ms: 2 }, T0, cadences);
    expect(inputAges(s, T0 + 2500)).toEqual({ cpu: 2500, p95: 2500, connections: null });
  });
});
