'use client';

import { useMemo } from 'react';
import type { InstanceDetail, InstanceSeries } from '@/server/services/telemetry/telemetry-read';
import { TimeSeries, type SeriesSpec } from '@/components/charts/time-series';
import { useDisplayZone } from '@/components/ui/display-zone';
import { fmtCount, fmtDegradation, fmtMs, fmtPct, fmtRatio, fmtRps, fmtWeight } from '@/components/telemetry/format';
import { BREAKER_BY_LEVEL, BREAKER_LEVEL, chartRows, chartSummary, markersOf } from './chart-data';
import styles from './instances.module.css';

interface Props {
  d: InstanceDetail;
  series: InstanceSeries;
  domain: [number, number];
  relative: boolean;
}

const SYNC = 'instance';

// Series and formats are constants: a plot whose props are equal to the last ones skips drawing
// (time-series-plot.tsx), and a function made inline is a new one every render.
const fmtWeightAxis = (v: number) => fmtWeight(v);
const fmtRpsAxis = (v: number) => fmtRps(v);
const fmtErrorPct = (v: number) => `${Math.round(v * 10) / 10} %`;
const fmtLevel = (v: number) => `L${Math.round(v)}`;
const WEIGHT_SERIES: SeriesSpec[] = [
  { key: 'effective', label: 'Effective', color: 'var(--chart-1)', width: 2.5 },
  { key: 'target', label: 'Target', kind: 'step', dashed: true, color: 'var(--chart-2)' },
];
const CPU_SERIES: SeriesSpec[] = [{ key: 'cpu', label: 'CPU (sampled every 5 s)', color: 'var(--chart-3)' }];
const P95_SERIES: SeriesSpec[] = [{ key: 'p95', label: 'P95 (sampled every 3 s)', color: 'var(--chart-4)' }];
const CONNECTIONS_SERIES: SeriesSpec[] = [{ key: 'connections', label: 'Active connections (every 10 s)', color: 'var(--chart-6)' }];
const RPS_SERIES: SeriesSpec[] = [{ key: 'rps', label: 'Requests/s', color: 'var(--chart-5)' }];
const ERROR_SERIES: SeriesSpec[] = [{ key: 'errorPct', label: 'Errors + timeouts (% of requests)', color: 'var(--chart-8)' }];
const LADDER_SERIES: SeriesSpec[] = [
  { key: 'degradation', label: 'Degradation level', kind: 'step', color: 'var(--chart-2)', format: (v) => fmtDegradation(Math.round(v)) },
  { key: 'breakerLevel', label: 'Breaker (0 closed, 1 half-open, 2 open)', kind: 'step', dashed: true, color: 'var(--chart-8)', format: (v) => BREAKER_BY_LEVEL[Math.round(v)] ?? String(v) },
];

/** The weight graph (target vs effective) with its three inputs beneath it, thresholds drawn. */
export function InstanceCharts({ d, series, domain, relative }: Props) {
  const rows = useMemo(() => chartRows(series.points), [series.points]);
  const weightMarkers = useMemo(() => markersOf(series.transitions, ['weight', 'degradation', 'breaker']), [series.transitions]);
  const ladder = useMemo(() => markersOf(series.transitions, ['degradation', 'breaker']), [series.transitions]);
  const th = d.policy.weight.thresholds;
  const zone = useDisplayZone();
  const range = { from: domain[0], to: domain[1], relative, zone };
  const pts = series.points;
  // Three missed steps make a gap (the loop was stopped, or the instance not sampled).
  const gap = series.stepS * 3000;
  const rollup = series.resolution !== 'raw';
  const avgNote = rollup ? `Averages per ${series.stepS / 60} min bucket.` : series.stepS > 1 ? `Averages per ${series.stepS} s.` : '';

  return (
    <>
      <TimeSeries
        title="Weight"
        height={220}
        syncId={SYNC}
        gapMs={gap}
        domain={domain}
        yDomain={[0, d.policy.weight.base]}
        data={rows}
        format={fmtWeightAxis}
        series={WEIGHT_SERIES}
        markers={weightMarkers}
        summary={chartSummary('Weight', range, pts, [
          { label: 'effective', pick: (p) => p.effective, format: fmtWeight },
          { label: 'target', pick: (p) => p.target, format: fmtWeight },
        ], `${weightMarkers.length} state changes marked.`)}
        empty="No samples in this range yet."
      >
        <span className={styles.chartNote}>{avgNote} Markers: recomputes, degradation and breaker changes (hover a flag).</span>
      </TimeSeries>
      <div className={styles.chartGrid}>
        <TimeSeries
          title="CPU"
          syncId={SYNC}
          gapMs={gap}
          domain={domain}
          yDomain={[0, 100]}
          data={rows}
          format={fmtPct}
          series={CPU_SERIES}
          thresholds={[{ value: th.cpuPct, label: `alert ${th.cpuPct} %`, tone: 'danger' }]}
          summary={chartSummary('CPU', range, pts, [{ label: 'CPU', pick: (p) => p.cpu, format: fmtPct }], `Alert threshold ${th.cpuPct} %.`)}
        />
        <TimeSeries
          title="P95 latency"
          syncId={SYNC}
          gapMs={gap}
          domain={domain}
          data={rows}
          format={fmtMs}
          series={P95_SERIES}
          thresholds={[{ value: th.p95Ms, label: `alert ${th.p95Ms} ms`, tone: 'danger' }]}
          summary={chartSummary('P95 latency', range, pts, [{ label: 'P95', pick: (p) => p.p95, format: fmtMs }], `Alert threshold ${th.p95Ms} ms.`)}
        />
        <TimeSeries
          title="Connections"
          syncId={SYNC}
          gapMs={gap}
          domain={domain}
          data={rows}
          format={fmtCount}
          series={CONNECTIONS_SERIES}
          thresholds={[{ value: th.connections, label: `alert ${fmtCount(th.connections)}`, tone: 'danger' }]}
          summary={chartSummary('Connections', range, pts, [{ label: 'connections', pick: (p) => p.connections, format: fmtCount }], `Alert threshold ${th.connections}.`)}
        />
        <TimeSeries
          title="Requests"
          syncId={SYNC}
          gapMs={gap}
          domain={domain}
          data={rows}
          format={fmtRpsAxis}
          series={RPS_SERIES}
          summary={chartSummary('Requests', range, pts, [{ label: 'requests per second', pick: (p) => p.rps, format: fmtRps }])}
        />
        <TimeSeries
          title="Errors"
          syncId={SYNC}
          gapMs={gap}
          domain={domain}
          data={rows}
          format={fmtErrorPct}
          series={ERROR_SERIES}
          summary={chartSummary('Errors', range, pts, [{ label: 'error rate', pick: (p) => p.errorRate, format: fmtRatio }])}
        />
        <TimeSeries
          title="Degradation and breaker"
          syncId={SYNC}
          gapMs={gap}
          domain={domain}
          yDomain={[0, 3]}
          integerAxis
          data={rows}
          format={fmtLevel}
          series={LADDER_SERIES}
          markers={ladder}
          summary={chartSummary('Degradation and breaker', range, pts, [
            { label: 'degradation', pick: (p) => p.degradation, format: (v) => fmtDegradation(v) },
            { label: 'breaker', pick: (p) => (p.breaker === null ? null : (BREAKER_LEVEL[p.breaker] ?? null)), format: (v) => (v === null ? 'not kept in rollups' : (BREAKER_BY_LEVEL[v] ?? '—')) },
          ])}
        >
          {rollup ? <span className={styles.chartNote}>Highest level per bucket; rollups do not keep the breaker.</span> : null}
        </TimeSeries>
      </div>
    </>
  );
}
