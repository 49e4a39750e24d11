'use client';

// The one chart of the console: time on x, series as data (lines, steps, stacked areas), threshold
// lines with labels, and state-change markers on the time axis. The only file that imports
// recharts (ARCHITECTURE.md), so the rest of the UI describes charts and never draws them.
import { useId, useMemo, type ReactNode } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { withGaps } from './gaps';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime, zoneName, type DisplayZone } from '@/components/ui/format-time';
import { formatTimeTick, timeTicks } from './time-axis';
import styles from './charts.module.css';

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

const PALETTE = 8;
export const seriesColor = (i: number) => `var(--chart-${(i % PALETTE) + 1})`;
const TONE_COLOR: Record<Tone, string> = {
  neutral: 'var(--chart-axis)',
  info: 'var(--chart-info)',
  success: 'var(--chart-success)',
  warning: 'var(--chart-warning)',
  danger: 'var(--chart-danger)',
};

const defaultFormat = (v: number) => (Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));

export function TimeSeries(props: TimeSeriesProps) {
  const { title, summary, data, series, domain, yDomain, format = defaultFormat, integerAxis = false, thresholds = [], markers = [], height = 180, syncId, children, empty, tooltipLimit, legend = true, gapMs = 0 } = props;
  const titleId = useId();
  const [from, to] = domain;
  const span = to - from;
  const zone = useDisplayZone();
  const ticks = useMemo(() => timeTicks(from, to, zone, 6), [from, to, zone]);
  // A marker "belongs" to the hovered point when it is within a couple of pixels' worth of time.
  const tolerance = Math.max(span / 150, 1000);
  const hasData = data.length > 0;
  const rows = useMemo(() => withGaps(data, series.map((s) => s.key), gapMs), [data, series, gapMs]);

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
        {hasData ? (
          <ComposedChart responsive data={rows} syncId={syncId} accessibilityLayer={false} margin={{ top: 14, right: 12, bottom: 0, left: 0 }} style={{ width: '100%', height: '100%' }}>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[from, to]}
              allowDataOverflow
              ticks={ticks}
              // The last tick names the zone ("10:05 UTC"): every time on the axis is in it.
              tickFormatter={(t: number, i: number) => (i === ticks.length - 1 ? `${formatTimeTick(t, span, zone)} ${zoneName(t, zone)}` : formatTimeTick(t, span, zone))}
              stroke="var(--chart-axis)"
              tick={{ fill: 'var(--chart-axis)', fontSize: 11 }}
              height={22}
            />
            <YAxis
              domain={(yDomain ?? [0, 'auto'])}
              tickFormatter={(v: number) => format(v)}
              stroke="var(--chart-axis)"
              tick={{ fill: 'var(--chart-axis)', fontSize: 11 }}
              width={56}
              allowDecimals={!integerAxis}
            />
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: 'var(--chart-axis)', strokeDasharray: '3 3' }}
              content={(p: TooltipContentProps) => <ChartTooltip {...p} zone={zone} series={series} format={format} markers={markers} tolerance={tolerance} limit={tooltipLimit} />}
            />
            {thresholds.map((th) => (
              <ReferenceLine
                key={`th-${th.label}`}
                y={th.value}
                stroke={TONE_COLOR[th.tone ?? 'warning']}
                strokeDasharray="5 4"
                ifOverflow="extendDomain"
                label={{ value: th.label, position: 'insideTopRight', fill: TONE_COLOR[th.tone ?? 'warning'], fontSize: 11 }}
              />
            ))}
            {series.map((s, i) => {
              const color = s.color ?? seriesColor(i);
              const common = { dataKey: (row: Row) => row[s.key] ?? null, name: s.label, stroke: color, isAnimationActive: false, dot: false as const, activeDot: { r: 3 } };
              return s.kind === 'area' ? (
                <Area key={s.key} {...common} type="linear" stackId={s.stack} fill={color} fillOpacity={0.35} strokeWidth={s.width ?? 1} />
              ) : (
                <Line key={s.key} {...common} type={s.kind === 'step' ? 'stepAfter' : 'linear'} strokeWidth={s.width ?? 2} strokeDasharray={s.dashed ? '6 4' : undefined} connectNulls={false} />
              );
            })}
            {markers.map((m, i) => (
              <ReferenceLine
                key={`m-${i}-${m.t}`}
                x={m.t}
                stroke={TONE_COLOR[m.tone ?? 'info']}
                strokeOpacity={m.faint ? 0.18 : 0.6}
                ifOverflow="discard"
                label={(lp: { viewBox?: { x?: number; y?: number } }) => <MarkerGlyph x={lp.viewBox?.x ?? 0} y={lp.viewBox?.y ?? 0} color={TONE_COLOR[m.tone ?? 'info']} text={`${formatTime(m.t, zone)} ${m.label}`} />}
              />
            ))}
          </ComposedChart>
        ) : (
          <p className={styles.empty}>{empty ?? 'No data in this range.'}</p>
        )}
      </div>
    </figure>
  );
}

/** A small flag at the top of a marker line; hovering it shows the event (SVG <title>). */
function MarkerGlyph({ x, y, color, text }: { x: number; y: number; color: string; text: string }) {
  return (
    <g className={styles.marker}>
      <title>{text}</title>
      <path d={`M ${x - 5} ${y - 10} L ${x + 5} ${y - 10} L ${x} ${y - 2} Z`} fill={color} />
    </g>
  );
}

type TipProps = TooltipContentProps & { zone: DisplayZone; series: readonly SeriesSpec[]; format: (v: number) => string; markers: readonly MarkerSpec[]; tolerance: number; limit?: number };

function ChartTooltip({ active, payload, label, zone, series, format, markers, tolerance, limit }: TipProps) {
  if (!active || label === undefined) return null;
  const t = Number(label);
  const row = (payload?.[0]?.payload ?? null) as Row | null;
  let items = series
    .map((s, i) => ({ s, i, v: row ? (row[s.key] ?? null) : null }))
    .filter((x): x is { s: SeriesSpec; i: number; v: number } => x.v !== null && Number.isFinite(x.v));
  let more = 0;
  if (limit !== undefined && items.length > limit) {
    items = [...items].sort((a, b) => b.v - a.v);
    more = items.length - limit;
    items = items.slice(0, limit);
  }
  const events = markers.filter((m) => Math.abs(m.t - t) <= tolerance);
  return (
    <div className={styles.tooltip}>
      <div className={styles.tooltipTime}>{formatTime(t, zone)}</div>
      {items.map(({ s, i, v }) => (
        <div key={s.key} className={styles.tooltipRow}>
          <span aria-hidden="true" className={styles.swatch} style={{ ['--swatch' as string]: s.color ?? seriesColor(i) }} />
          <span>{s.label}</span>
          <span className={styles.tooltipValue}>{(s.format ?? format)(v)}</span>
        </div>
      ))}
      {more > 0 ? <div className={styles.tooltipMore}>and {more} more</div> : null}
      {events.map((m, k) => (
        <div key={`e-${k}`} className={styles.tooltipEvent}>
          {formatTime(m.t, zone)} {m.label}
        </div>
      ))}
    </div>
  );
}
