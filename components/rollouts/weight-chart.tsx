'use client';

import { TimeSeries, type MarkerSpec } from '@/components/charts/time-series';
import type { HistoryPoint } from './contract';
import { pct } from './words';

/** Canary share of the traffic: what the rollout asked for (steps) against what was measured. */
export function WeightChart({ points, markers, now }: { points: HistoryPoint[]; markers: MarkerSpec[]; now: number }) {
  const data = points.map((p) => ({ t: new Date(p.at).getTime(), desired: p.desiredCanaryPct, measured: p.measuredCanaryPct }));
  const from = data[0]?.t ?? now - 60_000;
  const last = data[data.length - 1];
  const to = Math.max(now, last?.t ?? now);
  return (
    <TimeSeries
      title="Canary share of traffic"
      summary={last ? `Canary share: desired ${pct(last.desired)}, measured ${pct(last.measured)}` : 'No traffic history yet'}
      data={data}
      series={[
        { key: 'desired', label: 'desired', kind: 'step', dashed: true },
        { key: 'measured', label: 'measured' },
      ]}
      domain={[from, to]}
      yDomain={[0, 100]}
      format={(v) => `${Math.round(v)} %`}
      markers={markers}
      empty="No traffic history yet: it starts when the rollout does."
      height={200}
    />
  );
}
