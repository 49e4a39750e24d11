import { describe, expect, it } from 'vitest';
import { spanWords, stripCountWords } from './strip-count';

const lanes = [
  { kind: 'breaker', label: 'Breaker' },
  { kind: 'weight', label: 'Weight recomputes' },
];
const to = Date.UTC(2026, 11, 5, 9, 0, 0);
const at = (sAgo: number) => to - sAgo * 1000;

describe('stripCountWords', () => {
  it('counts the events when nothing was left out', () => {
    expect(stripCountWords({ events: [{ kind: 'weight', at: at(1) }], total: 1, truncated: false, totals: { weight: 1 } }, to, lanes)).toBe('1 event');
  });

  it('says which lane was cut and how far back it still reaches', () => {
    const events = [
      ...Array.from({ length: 500 }, (_, i) => ({ kind: 'weight', at: at(20 * (i / 499)) })),
      { kind: 'breaker', at: at(290) },
    ];
    const words = stripCountWords({ events, total: 105_555, truncated: true, totals: { weight: 105_554, breaker: 1 } }, to, lanes);
    expect(words).toBe('501 of 105,555 events; weight recomputes: the newest 500 of 105,554 only (last 20 s)');
  });

  it('names every cut lane, and none that is complete', () => {
    const events = [
      { kind: 'breaker', at: at(250) },
      { kind: 'weight', at: at(3) },
    ];
    expect(stripCountWords({ events, total: 40, truncated: true, totals: { breaker: 10, weight: 30 } }, to, lanes)).toBe(
      '2 of 40 events; breaker: the newest 1 of 10 only (last 4 min); weight recomputes: the newest 1 of 30 only (last 3 s)',
    );
  });
});

describe('spanWords', () => {
  it('reads seconds, minutes and hours', () => {
    expect([spanWords(0), spanWords(20_400), spanWords(119_000), spanWords(120_000), spanWords(7_200_000)]).toEqual(['1 s', '20 s', '119 s', '2 min', '2 h']);
  });
});
