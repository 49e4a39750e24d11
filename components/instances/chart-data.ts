import type { InstancePoint, TransitionItem } from '@/server/services/telemetry/telemetry-read';
import { describeSpan } from '@/components/charts/time-axis';
import { formatTime, type DisplayZone } from '@/components/ui/format-time';

// What the instance charts draw, derived from the series: rows, markers and the sentences that
// name each chart for screen readers. Pure; unit-tested.

export const STAGE_NAMES = ['access', 'ratelimit', 'routing', 'state', 'execution'] as const;

type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/** "Weight 80 → 55", "Breaker closed → open", "Stage routing active → blocked", "Degradation L0 → L1". */
export function transitionTitle(t: Pick<TransitionItem, 'machine' | 'stage' | 'from' | 'to'>): string {
  switch (t.machine) {
    case 'weight':
      return t.from === 'none' ? `Weight target ${t.to}` : `Weight target ${t.from} → ${t.to}`;
    case 'breaker':
      return `${t.stage ? `Breaker (${t.stage})` : 'Breaker'} ${t.from} → ${t.to}`;
    case 'degradation':
      return `Degradation ${t.from} → ${t.to}`;
    case 'stage':
      return `Stage ${t.stage} ${t.from} → ${t.to}`;
  }
}

export function transitionTone(t: Pick<TransitionItem, 'machine' | 'from' | 'to'>): Tone {
  if (t.machine === 'weight') return Number(t.to) < Number(t.from) ? 'warning' : 'info';
  if (t.machine === 'breaker') return t.to === 'open' ? 'danger' : t.to === 'half-open' ? 'warning' : 'success';
  if (t.machine === 'degradation') return t.to > t.from ? 'danger' : 'success';
  return t.to === 'blocked' ? 'warning' : 'success';
}

/** Markers for a chart: the given machines' transitions, the newest `limit` of them. */
export function markersOf(transitions: readonly TransitionItem[], machines: ReadonlyArray<TransitionItem['machine']>, limit = 150) {
  return transitions
    .filter((t) => machines.includes(t.machine))
    .slice(0, limit)
    .map((t) => ({ t: t.at, label: `${transitionTitle(t)}: ${t.cause}`, tone: transitionTone(t), faint: t.machine === 'weight' || t.machine === 'stage' }));
}

/** The breaker as a step on the 0..3 axis it shares with the degradation level. */
export const BREAKER_LEVEL: Record<string, number> = { closed: 0, 'half-open': 1, open: 2 };
export const BREAKER_BY_LEVEL = ['closed', 'half-open', 'open'];

/** Chart rows: the point plus one `fill_<stage>` per stage in percent. */
export function chartRows(points: readonly InstancePoint[]) {
  return points.map((p) => {
    const row: Record<string, number | null> & { t: number } = {
      t: p.t,
      target: p.target,
      effective: p.effective,
      cpu: p.cpu,
      p95: p.p95,
      connections: p.connections,
      rps: p.rps,
      errorPct: p.errorRate === null ? null : p.errorRate * 100,
      degradation: p.degradation,
      breakerLevel: p.breaker === null ? null : (BREAKER_LEVEL[p.breaker] ?? null),
    };
    STAGE_NAMES.forEach((s, k) => (row[`fill_${s}`] = p.stageFill[k] === undefined ? null : p.stageFill[k] * 100));
    return row;
  });
}

/**
 * "Weight over the last 5 minutes: effective 62, target 55 at 10:01:23." The newest point is
 * named, so the label changes as the chart moves (and tests can see it move).
 */
export function chartSummary(
  title: string,
  range: { from: number; to: number; relative: boolean; zone: DisplayZone },
  points: readonly InstancePoint[],
  values: Array<{ label: string; pick: (p: InstancePoint) => number | null; format: (v: number | null) => string }>,
  extra = '',
): string {
  const span = describeSpan(range.from, range.to, range.relative, range.zone);
  const last = points[points.length - 1];
  if (!last) return `${title} over ${span}: no data.${extra ? ` ${extra}` : ''}`;
  const now = values.map((v) => `${v.label} ${v.format(v.pick(last))}`).join(', ');
  return `${title} over ${span}: ${now} at ${formatTime(last.t, range.zone, range.to)}.${extra ? ` ${extra}` : ''}`;
}
