import { describe, expect, it } from 'vitest';
import { markerKeys, samePlotProps, sameSeries, sameShortArray, sameThresholds, seriesKeysSignature } from './plot-props';
import type { TimeSeriesProps } from './time-series';

const fmt = (v: number) => `${v} %`;
const rows = [{ t: 1, a: 1 }];
const markers = [{ t: 1, label: 'x' }];
const base = (): TimeSeriesProps => ({
  title: 'CPU',
  summary: 'CPU at 10:00',
  data: rows,
  series: [{ key: 'a', label: 'A', color: 'red' }],
  domain: [0, 300_000],
  yDomain: [0, 100],
  format: fmt,
  thresholds: [{ value: 80, label: 'alert 80 %', tone: 'danger' }],
  markers,
  syncId: 'instance',
  gapMs: 3000,
});

describe('samePlotProps', () => {
  it('holds for props rebuilt inline with the same values', () => {
    expect(samePlotProps(base(), base())).toBe(true);
  });
  it('ignores what only the frame shows (title, summary, children, legend)', () => {
    expect(samePlotProps(base(), { ...base(), title: 'Other', summary: 'CPU at 10:01', legend: false, empty: 'none' })).toBe(true);
  });
  it('fails when the rows, the markers or the format are other objects', () => {
    expect(samePlotProps(base(), { ...base(), data: [...rows] })).toBe(false);
    expect(samePlotProps(base(), { ...base(), markers: [...markers] })).toBe(false);
    expect(samePlotProps(base(), { ...base(), format: (v) => fmt(v) })).toBe(false);
  });
  it('fails when the time or value domain moved', () => {
    expect(samePlotProps(base(), { ...base(), domain: [1000, 301_000] })).toBe(false);
    expect(samePlotProps(base(), { ...base(), yDomain: [0, 'auto'] })).toBe(false);
    expect(samePlotProps(base(), { ...base(), yDomain: undefined })).toBe(false);
  });
  it('fails when a series or threshold changed in any field', () => {
    expect(samePlotProps(base(), { ...base(), series: [{ key: 'a', label: 'A', color: 'blue' }] })).toBe(false);
    expect(samePlotProps(base(), { ...base(), series: [{ key: 'a', label: 'A', color: 'red', dashed: true }] })).toBe(false);
    expect(samePlotProps(base(), { ...base(), thresholds: [{ value: 85, label: 'alert 80 %', tone: 'danger' }] })).toBe(false);
    expect(samePlotProps(base(), { ...base(), thresholds: [] })).toBe(false);
  });
  it('fails for other plot settings', () => {
    expect(samePlotProps(base(), { ...base(), gapMs: 6000 })).toBe(false);
    expect(samePlotProps(base(), { ...base(), syncId: 'service' })).toBe(false);
    expect(samePlotProps(base(), { ...base(), integerAxis: true })).toBe(false);
    expect(samePlotProps(base(), { ...base(), tooltipLimit: 10 })).toBe(false);
  });
});

describe('the comparisons it rests on', () => {
  it('compares short arrays entry by entry', () => {
    expect(sameShortArray([1, 2], [1, 2])).toBe(true);
    expect(sameShortArray([1, 2], [1, 2, 3])).toBe(false);
    expect(sameShortArray(undefined, undefined)).toBe(true);
    expect(sameShortArray([1], undefined)).toBe(false);
  });
  it('compares a series format function by identity', () => {
    expect(sameSeries([{ key: 'a', label: 'A', format: fmt }], [{ key: 'a', label: 'A', format: fmt }])).toBe(true);
    expect(sameSeries([{ key: 'a', label: 'A', format: fmt }], [{ key: 'a', label: 'A', format: (v) => fmt(v) }])).toBe(false);
  });
  it('treats missing thresholds as none', () => {
    expect(sameThresholds(undefined, [])).toBe(true);
  });
  it('signs the series keys in order', () => {
    expect(seriesKeysSignature([{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }])).toBe(seriesKeysSignature([{ key: 'a', label: 'other' }, { key: 'b', label: 'B' }]));
    expect(seriesKeysSignature([{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }])).not.toBe(seriesKeysSignature([{ key: 'b', label: 'B' }, { key: 'a', label: 'A' }]));
  });
});

describe('markerKeys', () => {
  it('keys a marker by what it is, so a new marker in front does not shift the others', () => {
    const older = [{ t: 5, label: 'b' }, { t: 1, label: 'a' }];
    const newer = [{ t: 9, label: 'c' }, ...older];
    expect(markerKeys(newer).slice(1)).toEqual(markerKeys(older));
  });
  it('keeps keys unique for repeated events', () => {
    const keys = markerKeys([{ t: 1, label: 'a' }, { t: 1, label: 'a' }, { t: 1, label: 'a' }]);
    expect(new Set(keys).size).toBe(3);
  });
});
