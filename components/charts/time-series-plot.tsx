'use client';

// The recharts drawing of <TimeSeries> (time-series.tsx), in a chunk of its own: with recharts it
// is most of a chart page's JavaScript, and the frame around it needs none of it.
//
// A live page renders once a tick. recharts keeps a store per chart: each <Line>, <Area> and
// <ReferenceLine> that renders writes its settings to it again (a ReferenceLine removes and adds
// itself on every render), and each write re-runs the chart's selectors over all rows. So the
// plot skips renders whose inputs are unchanged (memo with samePlotProps), and its series and
// reference lines are memoised components with stable props: when only the rows moved, the store
// gets the rows and the moved axis, nothing else.
import { memo, useCallback, useMemo } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { withGaps } from './gaps';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime, zoneName, type DisplayZone } from '@/components/ui/format-time';
import { formatTimeTick, timeTicks } from './time-axis';
import { seriesColor, TONE_COLOR } from './palette';
import { compactAxisLabel } from './axis-label';
import { markerKeys, samePlotProps, seriesKeysSignature } from './plot-props';
import type { MarkerSpec, Row, SeriesSpec, TimeSeriesProps, Tone } from './time-series';
import styles from './charts.module.css';

const defaultFormat = (v: number) => (Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));
const MARGIN = { top: 14, right: 12, bottom: 0, left: 0 };
const STYLE = { width: '100%', height: '100%' };
const AXIS_TICK = { fill: 'var(--chart-axis)', fontSize: 11 };
const NONE: readonly never[] = [];
const CURSOR = { stroke: 'var(--chart-axis)', strokeDasharray: '3 3' };

function TimeSeriesPlot(props: TimeSeriesProps) {
  const { data, series, domain, yDomain, format = defaultFormat, integerAxis = false, thresholds = NONE, markers = NONE, syncId, tooltipLimit, gapMs = 0 } = props;
  const [from, to] = domain;
  const span = to - from;
  const zone = useDisplayZone();
  const ticks = useMemo(() => timeTicks(from, to, zone, 6), [from, to, zone]);
  // A marker "belongs" to the hovered point when it is within a couple of pixels' worth of time.
  const tolerance = Math.max(span / 150, 1000);
  const keys = seriesKeysSignature(series);
  // Keyed on the series keys, not the series array (rebuilt by callers on every render): new rows
  // would make recharts recompute every series.
  const rows = useMemo(() => withGaps(data, keys ? keys.split('\u0000') : [], gapMs), [data, keys, gapMs]);
  // The last tick names the zone ("10:05 UTC"): every time on the axis is in it.
  const timeTick = useCallback((t: number, i: number) => (i === ticks.length - 1 ? `${formatTimeTick(t, span, zone)} ${zoneName(t, zone)}` : formatTimeTick(t, span, zone)), [ticks, span, zone]);
  // Stable while `format` is: a new tickFormatter each render is one more store write and pass in recharts.
  const valueTick = useCallback((v: number) => compactAxisLabel(format(v)), [format]);
  const mKeys = useMemo(() => markerKeys(markers), [markers]);
  const tooltip = useCallback(
    (p: TooltipContentProps) => <ChartTooltip {...p} zone={zone} series={series} format={format} markers={markers} tolerance={tolerance} limit={tooltipLimit} />,
    [zone, series, format, markers, tolerance, tooltipLimit],
  );

  return (
    <ComposedChart responsive data={rows} syncId={syncId} accessibilityLayer={false} margin={MARGIN} style={STYLE}>
      <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={[from, to]}
        allowDataOverflow
        ticks={ticks}
        tickFormatter={timeTick}
        stroke="var(--chart-axis)"
        tick={AXIS_TICK}
        height={22}
      />
      <YAxis
        domain={(yDomain ?? [0, 'auto'])}
        tickFormatter={valueTick}
        stroke="var(--chart-axis)"
        tick={{ fill: 'var(--chart-axis)', fontSize: 11 }}
        width={56}
        allowDecimals={!integerAxis}
      />
      <Tooltip isAnimationActive={false} cursor={CURSOR} content={tooltip} />
      {thresholds.map((th) => (
        <ThresholdLine key={`th-${th.label}`} value={th.value} label={th.label} tone={th.tone} />
      ))}
      {series.map((s, i) => (
        <PlotSeries key={s.key} seriesKey={s.key} label={s.label} kind={s.kind} stack={s.stack} color={s.color ?? seriesColor(i)} dashed={s.dashed} width={s.width} />
      ))}
      {markers.map((m, i) => (
        <MarkerLine key={mKeys[i]} t={m.t} label={m.label} tone={m.tone} faint={m.faint} zone={zone} />
      ))}
    </ComposedChart>
  );
}

export default memo(TimeSeriesPlot, samePlotProps);

const ThresholdLine = memo(function ThresholdLine({ value, label, tone = 'warning' }: { value: number; label: string; tone?: Tone }) {
  const color = TONE_COLOR[tone];
  const text = useMemo(() => ({ value: label, position: 'insideTopRight' as const, fill: color, fontSize: 11 }), [label, color]);
  return <ReferenceLine y={value} stroke={color} strokeDasharray="5 4" ifOverflow="extendDomain" label={text} />;
});

interface PlotSeriesProps {
  seriesKey: string;
  label: string;
  kind?: SeriesSpec['kind'];
  stack?: string;
  color: string;
  dashed?: boolean;
  width?: number;
}

const ACTIVE_DOT = { r: 3 };

const PlotSeries = memo(function PlotSeries({ seriesKey, label, kind, stack, color, dashed, width }: PlotSeriesProps) {
  const dataKey = useCallback((row: Row) => row[seriesKey] ?? null, [seriesKey]);
  const common = { dataKey, name: label, stroke: color, isAnimationActive: false, dot: false as const, activeDot: ACTIVE_DOT };
  return kind === 'area' ? (
    <Area {...common} type="linear" stackId={stack} fill={color} fillOpacity={0.35} strokeWidth={width ?? 1} />
  ) : (
    <Line {...common} type={kind === 'step' ? 'stepAfter' : 'linear'} strokeWidth={width ?? 2} strokeDasharray={dashed ? '6 4' : undefined} connectNulls={false} />
  );
});

const MarkerLine = memo(function MarkerLine({ t, label, tone = 'info', faint, zone }: MarkerSpec & { zone: DisplayZone }) {
  const color = TONE_COLOR[tone];
  const text = `${formatTime(t, zone)} ${label}`;
  const glyph = useCallback((lp: { viewBox?: { x?: number; y?: number } }) => <MarkerGlyph x={lp.viewBox?.x ?? 0} y={lp.viewBox?.y ?? 0} color={color} text={text} />, [color, text]);
  return <ReferenceLine x={t} stroke={color} strokeOpacity={faint ? 0.18 : 0.6} ifOverflow="discard" label={glyph} />;
});

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
