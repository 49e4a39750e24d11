'use client';

import { useMemo } from 'react';
import type { InstanceDetail, InstanceSeries } from '@/server/services/telemetry/telemetry-read';
import { TimeSeries, type SeriesSpec } from '@/components/charts/time-series';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatDuration } from '@/components/charts/time-axis';
import { Badge } from '@/components/ui/badge';
import { bandTone, fmtRatio, stageTone } from '@/components/telemetry/format';
import { chartRows, chartSummary, markersOf, STAGE_NAMES } from './chart-data';
import styles from './instances.module.css';

const DAY = 86400_000;
// Constants, so that the plot sees equal props from tick to tick (time-series-plot.tsx).
const fmtFill = (v: number) => `${Math.round(v)} %`;
const FILL_SERIES: SeriesSpec[] = STAGE_NAMES.map((s) => ({ key: `fill_${s}`, label: s }));
const BAND_WORDS = { normal: 'normal', elevated: 'elevated (≥ 60 %)', degraded: 'field-level degradation (≥ 85 %)', break: 'at the break line (≥ 95 %)' } as const;

/** The five stages: state and time in it, share of the last 5 minutes, buffer fill against the watermarks. */
export function StagesPanel({ d, series, domain, relative }: { d: InstanceDetail; series: InstanceSeries; domain: [number, number]; relative: boolean }) {
  const zone = useDisplayZone();
  const w = d.policy.watermark;
  const now = d.latest?.t ?? Date.now();
  const rows = useMemo(() => chartRows(series.points), [series.points]);
  const markers = useMemo(() => markersOf(series.transitions, ['stage', 'degradation']), [series.transitions]);
  return (
    <section aria-labelledby="stages-heading">
      <h2 id="stages-heading">Stages and buffers</h2>
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <caption className="visually-hidden">Stage states and buffer fill</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">State</th>
              <th scope="col">In state for</th>
              <th scope="col">Last 5 min (idle / active / blocked)</th>
              <th scope="col">Buffer fill</th>
            </tr>
          </thead>
          <tbody>
            {d.stages.map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.name}</th>
                <td>
                  <Badge tone={stageTone(s.state)}>{s.state}</Badge>
                </td>
                <td>
                  {s.since !== null ? (
                    formatDuration(now - s.since)
                  ) : d.sampledSince !== null && now - d.sampledSince < DAY ? (
                    <span title="No change of state since the oldest sample kept">at least {formatDuration(now - d.sampledSince)}</span>
                  ) : (
                    <span className="muted">over a day</span>
                  )}
                </td>
                <td>
                  {s.share ? (
                    <span className={styles.shareBar} title={`idle ${fmtRatio(s.share.idle)}, active ${fmtRatio(s.share.active)}, blocked ${fmtRatio(s.share.blocked)}`}>
                      <span className={styles.shareIdle} style={{ width: `${s.share.idle * 100}%` }} />
                      <span className={styles.shareActive} style={{ width: `${s.share.active * 100}%` }} />
                      <span className={styles.shareBlocked} style={{ width: `${s.share.blocked * 100}%` }} />
                    </span>
                  ) : null}
                  <span className={styles.shareText}>{s.share ? `${fmtRatio(s.share.idle)} / ${fmtRatio(s.share.active)} / ${fmtRatio(s.share.blocked)}` : '—'}</span>
                </td>
                <td>
                  <span className={styles.fillBar} aria-hidden="true">
                    <span className={styles.fillValue} data-band={s.band} style={{ width: `${Math.min(100, s.fill * 100)}%` }} />
                    <span className={styles.fillMark} style={{ left: `${w.elevatedPct}%` }} />
                    <span className={styles.fillMark} style={{ left: `${w.degradePct}%` }} />
                    <span className={styles.fillMark} style={{ left: `${w.breakPct}%` }} />
                  </span>
                  <span className={styles.fillText}>{fmtRatio(s.fill)}</span> <Badge tone={bandTone(s.band)}>{BAND_WORDS[s.band]}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <TimeSeries
        title="Buffer fill per stage"
        height={200}
        syncId="instance"
        gapMs={series.stepS * 3000}
        domain={domain}
        yDomain={[0, 100]}
        data={rows}
        format={fmtFill}
        series={FILL_SERIES}
        thresholds={[
          { value: w.elevatedPct, label: `elevated ${w.elevatedPct} %`, tone: 'info' },
          { value: w.degradePct, label: `degrade ${w.degradePct} %`, tone: 'warning' },
          { value: w.breakPct, label: `break ${w.breakPct} %`, tone: 'danger' },
        ]}
        markers={markers}
        summary={chartSummary(
          'Buffer fill per stage',
          { from: domain[0], to: domain[1], relative, zone },
          series.points,
          STAGE_NAMES.map((s, k) => ({ label: s, pick: (p) => p.stageFill[k] ?? null, format: fmtRatio })),
          `Watermarks ${w.elevatedPct}, ${w.degradePct} and ${w.breakPct} %.`,
        )}
      >
        {series.resolution !== 'raw' || series.stepS > 1 ? <span className={styles.chartNote}>Highest fill per bucket.</span> : null}
      </TimeSeries>
    </section>
  );
}
