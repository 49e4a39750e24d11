'use client';

import { useMemo } from 'react';
import type { ServiceSeries } from '@/server/services/telemetry/telemetry-read-service';
import { TimeSeries } from '@/components/charts/time-series';
import { describeSpan } from '@/components/charts/time-axis';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime, type DisplayZone } from '@/components/ui/format-time';
import { fmtRps } from '@/components/telemetry/format';
import { splitRows } from './split';
import styles from './services.module.css';

function summary(title: string, s: ServiceSeries, domain: [number, number], relative: boolean, zone: DisplayZone, keys: Array<{ key: string; label: string }>, top?: number) {
  const span = describeSpan(domain[0], domain[1], relative, zone);
  const points = title.includes('version') ? s.byVersion : s.byInstance;
  const p = points.at(-1);
  if (!p) return `${title} over ${span}: no traffic recorded.`;
  let values = keys.map((k) => ({ label: k.label, v: p.v[k.key] ?? 0 }));
  if (top !== undefined) values = values.sort((a, b) => b.v - a.v).slice(0, top);
  const total = Object.values(p.v).reduce((a, b) => a + b, 0);
  return `${title} over ${span}: ${fmtRps(total)} in total at ${formatTime(p.t, zone, domain[1])}; ${top !== undefined ? `busiest: ` : ''}${values.map((x) => `${x.label} ${fmtRps(x.v)}`).join(', ')}.`;
}

/** The real traffic split as stacked areas: by version, and by instance. */
export function SplitCharts({ series, domain, relative }: { series: ServiceSeries; domain: [number, number]; relative: boolean }) {
  const versionRows = useMemo(() => splitRows(series.byVersion), [series.byVersion]);
  const instanceRows = useMemo(() => splitRows(series.byInstance), [series.byInstance]);
  const zone = useDisplayZone();
  const versions = series.versions.map((v) => ({ key: v, label: v }));
  const instances = series.instances.map((i) => ({ key: i.id, label: i.name }));
  const note = series.resolution === 'raw' ? (series.stepS > 1 ? `Averages per ${series.stepS} s.` : 'Every tick.') : `${series.resolution / 60} min rollups.`;
  return (
    <div className={styles.splitCharts}>
      <TimeSeries
        title="Traffic by version"
        height={200}
        syncId="service"
        gapMs={series.stepS * 3000}
        domain={domain}
        data={versionRows}
        format={fmtRps}
        series={versions.map((v) => ({ ...v, kind: 'area' as const, stack: 'v' }))}
        summary={summary('Traffic by version', series, domain, relative, zone, versions)}
        empty="No requests recorded in this range."
      >
        <span className={styles.chartNote}>Requests/s from the instances&apos; samples, stacked. {note}</span>
      </TimeSeries>
      <TimeSeries
        title="Traffic by instance"
        height={200}
        syncId="service"
        gapMs={series.stepS * 3000}
        domain={domain}
        data={instanceRows}
        format={fmtRps}
        legend={false}
        tooltipLimit={10}
        series={instances.map((i) => ({ ...i, kind: 'area' as const, stack: 'i' }))}
        summary={summary('Traffic by instance', series, domain, relative, zone, instances, 3)}
        empty="No requests recorded in this range."
      >
        <span className={styles.chartNote}>{series.instances.length} instances stacked; hover for the ten busiest at a moment.</span>
      </TimeSeries>
    </div>
  );
}
