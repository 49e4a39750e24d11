'use client';

// The one chart of the console: time on x, series as data (lines, steps, stacked areas), threshold
// lines with labels, and state-change markers on the time axis. The rest of the UI describes charts
// and never draws them (ARCHITECTURE.md). This file draws the frame (title, legend, the sized plot
// box) at the first paint; the plot itself is recharts (time-series-plot.tsx, ~390 KB of
// JavaScript), loaded after the page is interactive, so that no page waits for recharts to
// hydrate: the data comes from the browser's first query anyway, after hydration.
import dynamic from 'next/dynamic';
import { useId, type ReactNode } from 'react';
import styles from './charts.module.css';
import { seriesColor, TONE_COLOR } from './palette';

export { seriesColor } from './palette';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export interface SeriesSpec {
  /** Property of each row holding this series' value (null = no value: a gap). */
  key: string;
  label: string;
  /** line (default), step (holds each value until the next), or area (stacks with others of the same `stack`). */
  kind?: 'line' | 'step' | 'area';
  stack?: string;
  /** A CSS colour; default: the palette colour of the series' position. */
  color?: string;
  dashed?: boolean;
  width?: number;
  /** Formats this series' values in the tooltip (default: the chart's format). */
  format?: (v: number) => string;
}

export interface ThresholdSpec {
  value: number;
  label: string;
  tone?: Tone;
}

export interface MarkerSpec {
  t: number;
  /** One line: "weight 80 → 55: P95 1240 ms crossed 1200 ms". */
  label: string;
  tone?: Tone;
  /** Faint line (frequent events such as recomputes): the flag on top still shows it. */
  faint?: boolean;
}

export type Row = Record<string, number | null | undefined> & { t: number };

export interface TimeSeriesProps {
  /** The figure's name (a visible caption), e.g. "Weight". */
  title: string;
  /** What the chart shows, for screen readers: the role="img" label. Name the newest values. */
  summary: string;
  data: readonly Row[];
  series: readonly SeriesSpec[];
  /** Time domain [from, to] in epoch ms. */
  domain: readonly [number, number];
  /** Value domain; default from 0 to the data's maximum. */
  yDomain?: readonly [number | 'auto', number | 'auto'];
  /** Formats a value for the axis and the tooltip (units included). */
  format?: (v: number) => string;
  /** Whole-number axes (levels, states): no fractional ticks that would repeat a label. */
  integerAxis?: boolean;
  thresholds?: readonly ThresholdSpec[];
  markers?: readonly MarkerSpec[];
  height?: number;
  /** Charts with the same syncId share the hover cursor (the same moment in every chart). */
  syncId?: string;
  /** Legend and notes beside the title. */
  children?: ReactNode;
  /** Text shown instead of the plot when there is no data. */
  empty?: string;
  /** Most series listed in the tooltip (largest first) — for charts with many, e.g. one per instance. */
  tooltipLimit?: number;
  /** Show the series in the caption (default); off for charts with too many series to list. */
  legend?: boolean;
  /** Points further apart than this (ms) are not joined: the stretch between is drawn as a gap. */
  gapMs?: number;
}

const TimeSeriesPlot = dynamic(() => import('./time-series-plot'), { ssr: false, loading: () => <div className={styles.plotLoading} aria-hidden="true" /> });

export function TimeSeries(props: TimeSeriesProps) {
  const { title, summary, data, series, thresholds = [], height = 180, children, empty, legend = true } = props;
  const titleId = useId();
  return (
    <figure className={styles.figure} aria-labelledby={titleId}>
      <figcaption className={styles.caption}>
        <span id={titleId} className={styles.title}>
          {title}
        </span>
        <span className={styles.legend}>
          {(legend ? series : []).map((s, i) => (
            <span key={s.key} className={styles.legendItem}>
              <span aria-hidden="true" className={s.kind === 'area' ? styles.swatchArea : s.dashed ? styles.swatchDashed : styles.swatch} style={{ ['--swatch' as string]: s.color ?? seriesColor(i) }} />
              {s.label}
            </span>
          ))}
          {thresholds.map((th) => (
            <span key={`th-${th.label}`} className={styles.legendItem}>
              <span aria-hidden="true" className={styles.swatchThreshold} style={{ ['--swatch' as string]: TONE_COLOR[th.tone ?? 'warning'] }} />
              {th.label}
            </span>
          ))}
        </span>
        {children}
      </figcaption>
      <div role="img" aria-label={summary} className={styles.plot} style={{ height }}>
        {data.length > 0 ? <TimeSeriesPlot {...props} /> : <p className={styles.empty}>{empty ?? 'No data in this range.'}</p>}
      </div>
    </figure>
  );
}
