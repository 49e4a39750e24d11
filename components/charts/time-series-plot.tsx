'use client';

// The recharts drawing of <TimeSeries> (time-series.tsx), in a chunk of its own: with recharts it
// is most of a chart page's JavaScript, and the frame around it needs none of it.
import { useMemo } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { withGaps } from './gaps';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime, zoneName, type DisplayZone } from '@/components/ui/format-time';
import { formatTimeTick, timeTicks } from './time-axis';
import { seriesColor, TONE_COLOR } from './palette';
import { compactAxisLabel } from './axis-label';
import type { MarkerSpec, Row, SeriesSpec, TimeSeriesProps } from './time-series';
import styles from './charts.module.css';

const defaultFormat = (v: number) => (Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));

export default function TimeSeriesPlot(props: TimeSeriesProps) {
  const { data, series, domain, yDomain, format = defaultFormat, integerAxis = false, thresholds = [], markers = [], syncId, tooltipLimit, gapMs = 0 } = props;
  const [from, to] = domain;
  const span = to - from;
  const zone = useDisplayZone();
  const ticks = useMemo(() => timeTicks(from, to, zone, 6), [from, to, zone]);
  // A marker "belongs" to the hovered point when it is within a couple of pixels' worth of time.
  const tolerance = Math.max(span / 150, 1000);
  const rows = useMemo(() => withGaps(data, series.map((s) => s.key), gapMs), [data, series, gapMs]);

  return (
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
        tickFormatter={(v: number) => compactAxisLabel(format(v))}
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
