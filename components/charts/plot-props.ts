// When a plot has to draw again. Pure (no React, no recharts) and unit-tested.
//
// A live page re-renders once a tick, and its charts get props rebuilt inline (a new `domain`
// array, new series objects, new threshold objects) that say the same thing. Each recharts plot
// that renders hands its settings to its store again, and every store update re-runs all of the
// plot's selectors over every row: a plot redraws only when what it draws changed.
import type { SeriesSpec, ThresholdSpec, TimeSeriesProps } from './time-series';

/** Same length and the same entries (===) — domains, yDomains. */
export function sameShortArray<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameObjects<T extends object>(a: readonly T[] | undefined, b: readonly T[] | undefined, fields: ReadonlyArray<keyof T>): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && fields.some((f) => x[f] !== y[f])) return false;
  }
  return true;
}

const SERIES_FIELDS: ReadonlyArray<keyof SeriesSpec> = ['key', 'label', 'kind', 'stack', 'color', 'dashed', 'width', 'format'];
const THRESHOLD_FIELDS: ReadonlyArray<keyof ThresholdSpec> = ['value', 'label', 'tone'];

/** The same series, field by field (a format function compares by identity). */
export const sameSeries = (a: readonly SeriesSpec[], b: readonly SeriesSpec[]) => sameObjects(a, b, SERIES_FIELDS);
export const sameThresholds = (a: readonly ThresholdSpec[] | undefined, b: readonly ThresholdSpec[] | undefined) => sameObjects(a ?? [], b ?? [], THRESHOLD_FIELDS);

/**
 * Whether the plot would draw the same thing: compares what the plot reads and nothing else
 * (title, summary, legend and children belong to the frame around it). Rows and markers compare
 * by identity: callers derive them with useMemo from the cached query data, which a tick that
 * changed nothing leaves as it was.
 */
export function samePlotProps(a: TimeSeriesProps, b: TimeSeriesProps): boolean {
  return (
    a.data === b.data &&
    a.markers === b.markers &&
    a.format === b.format &&
    a.integerAxis === b.integerAxis &&
    a.syncId === b.syncId &&
    a.tooltipLimit === b.tooltipLimit &&
    a.gapMs === b.gapMs &&
    sameShortArray(a.domain, b.domain) &&
    sameShortArray(a.yDomain, b.yDomain) &&
    sameSeries(a.series, b.series) &&
    sameThresholds(a.thresholds, b.thresholds)
  );
}

/** A key per distinct list of series keys: the rows with gaps depend on the keys, not on labels or colours. */
export const seriesKeysSignature = (series: readonly SeriesSpec[]) => series.map((s) => s.key).join('\u0000');

/**
 * React keys for markers that follow the marker, not its position: the newest marker comes first,
 * so index keys would shift on every new event and remount (re-register) every marker line.
 */
export function markerKeys(markers: ReadonlyArray<{ t: number; label: string }>): string[] {
  const seen = new Map<string, number>();
  return markers.map((m) => {
    const base = `${m.t}|${m.label}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n ? `${base}|${n}` : base;
  });
}
