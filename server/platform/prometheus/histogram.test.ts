import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS, LATENCY_BUCKET_COUNT, quantileOf } from '../../domain/latency-buckets';
import { bucketDelta, bucketsFromCumulative, parseLe, type LeCount } from './histogram';

/** The cumulative `le` series an exporter with these bounds (seconds) publishes for these per-bucket counts. */
function cumulative(boundsS: readonly number[], counts: readonly number[]): LeCount[] {
  let c = 0;
  const out = boundsS.map((le, i) => ({ le, count: (c += counts[i]!) }));
  out.push({ le: Infinity, count: c + (counts[boundsS.length] ?? 0) });
  return out;
}

const OURS_S = LATENCY_BUCKETS_MS.map((b) => b / 1000);

describe('bucketsFromCumulative', () => {
  it('is exact when the exporter uses our bounds (in seconds, +Inf last)', () => {
    const counts = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => (i * 7) % 5);
    expect(bucketsFromCumulative(cumulative(OURS_S, counts))).toEqual(counts);
    // Series arrive in any order, le as Prometheus writes it.
    const shuffled = cumulative(OURS_S, counts).reverse();
    expect(bucketsFromCumulative(shuffled)).toEqual(counts);
  });

  it('interpolates inside a coarser exporter bucket, keeping the total and the order', () => {
    // An exporter with 0.1 / 0.2 / 0.5 s bounds: 100 requests in (0.1, 0.2], 10 beyond 0.5 s.
    const b = bucketsFromCumulative([
      { le: 0.1, count: 0 },
      { le: 0.2, count: 100 },
      { le: 0.5, count: 100 },
      { le: Infinity, count: 110 },
    ])!;
    expect(b.reduce((s, x) => s + x, 0)).toBeCloseTo(110, 9);
    // Our bounds inside (0.1, 0.2]: 135 and 200 ms: 35 % and 65 % of the 100.
    expect(b[LATENCY_BUCKETS_MS.indexOf(135)]).toBeCloseTo(35, 9);
    expect(b[LATENCY_BUCKETS_MS.indexOf(200)]).toBeCloseTo(65, 9);
    // Beyond the exporter's last finite bound nothing is known: the 10 land in the overflow.
    expect(b[LATENCY_BUCKET_COUNT - 1]).toBeCloseTo(10, 9);
    expect(quantileOf(b, 0.5)).toBeGreaterThan(100);
    expect(quantileOf(b, 0.5)).toBeLessThanOrEqual(200);
    for (const x of b) expect(x).toBeGreaterThanOrEqual(0);
  });

  it('is not a histogram without +Inf; ignores bad le labels; evens out a count that went backwards', () => {
    expect(bucketsFromCumulative([{ le: 0.005, count: 3 }])).toBeNull();
    const b = bucketsFromCumulative([
      { le: 0.005, count: 5 },
      { le: 0.01, count: 4 }, // read a moment earlier than the bound below it
      { le: NaN, count: 99 },
      { le: Infinity, count: 6 },
    ])!;
    expect(b.slice(0, 2)).toEqual([5, 0]);
    expect(b.reduce((s, x) => s + x, 0)).toBe(6);
  });

  it('parses le labels', () => {
    expect(parseLe('+Inf')).toBe(Infinity);
    expect(parseLe('0.005')).toBe(0.005);
    expect(parseLe('')).toBeNaN();
    expect(parseLe('abc')).toBeNaN();
  });
});

describe('bucketDelta', () => {
  it('reports the requests since the previous reading; nothing on the first; a restart counts from zero', () => {
    expect(bucketDelta(undefined, [1, 2, 3])).toBeUndefined();
    expect(bucketDelta([1, 2, 3], [4, 2, 10])).toEqual([3, 0, 7]);
    expect(bucketDelta([10, 20, 30], [1, 0, 2])).toEqual([1, 0, 2]);
  });
});
