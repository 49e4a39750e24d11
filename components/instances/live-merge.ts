import type { InstanceDetail, InstanceSeries } from '@/server/services/telemetry/telemetry-read';
import type { InstanceTickPayload } from '@/server/services/telemetry/telemetry-live';

// How one tick of an instance's live feed changes the cached series and detail. Pure (no React, no
// tRPC) and unit-tested. Every function is idempotent: a tick replayed after a reconnect, or one
// the query already contained, changes nothing (and returns the same object, so React skips work).

/** Tick ids are bigint in PostgreSQL; compare them exactly, not as floats. */
export const newer = (a: string, b: string | null | undefined) => b === null || b === undefined || BigInt(a) > BigInt(b);

const LEVEL_LABELS = ['normal', 'field-degraded', 'stage-broken', 'rerouted'];

/** Appends the tick's sample and transitions to a live series, keeping only the last `windowMs`. */
export function mergeInstanceSeries(series: InstanceSeries, p: InstanceTickPayload, windowMs: number): InstanceSeries {
  if (!newer(p.tickId, series.lastTickId)) return series;
  const cutoff = p.at - windowMs;
  const lastT = series.points.length ? series.points[series.points.length - 1]!.t : -Infinity;
  let points = series.points;
  if (p.sample && p.sample.t > lastT) {
    const { stageState: _states, ...point } = p.sample;
    points = [...points, point];
  }
  let start = 0;
  while (start < points.length && points[start]!.t < cutoff) start++;
  if (start > 0) points = points.slice(start);

  const known = new Set(series.transitions.map((t) => t.id));
  const fresh = p.transitions.filter((t) => !known.has(t.id)).sort((a, b) => b.at - a.at);
  let transitions = fresh.length ? [...fresh, ...series.transitions] : series.transitions;
  if (transitions.length && transitions[transitions.length - 1]!.at < cutoff) transitions = transitions.filter((t) => t.at >= cutoff);

  return { ...series, points, transitions, lastTickId: p.tickId, from: Math.max(series.from, cutoff), to: Math.max(series.to, p.at) };
}

/** The detail's "now": latest sample, stage states (with since), breaker, degradation, explanation. */
export function mergeInstanceDetail(d: InstanceDetail, p: InstanceTickPayload): InstanceDetail {
  const s = p.sample;
  if (!s || !newer(p.tickId, d.latest?.tickId)) return d;
  const prev = d.latest;
  const latest = {
    ...(prev ?? { rtMs: null, memory: null, p50: null, p99: null, inputAgeMs: { cpu: null, p95: null, connections: null } }),
    ...s,
  };
  const w = d.policy.watermark;
  const stages = d.stages.map((st, k) => {
    const state = s.stageState[k] ?? st.state;
    const fill = s.stageFill[k] ?? st.fill;
    const pct = fill * 100;
    const band: typeof st.band = pct >= w.breakPct ? 'break' : pct >= w.degradePct ? 'degraded' : pct >= w.elevatedPct ? 'elevated' : 'normal';
    return { ...st, state, fill, band: band, since: state === st.state ? st.since : p.at };
  });
  const trOf = (machine: string) => p.transitions.filter((t) => t.machine === machine && t.stage === '').at(-1);
  const breakerState = s.breaker ?? d.breaker.state;
  const breaker =
    breakerState === d.breaker.state ? d.breaker : { state: breakerState, since: p.at, cause: trOf('breaker')?.cause ?? null };
  const level = s.degradation;
  const degradation =
    level === d.degradation.level
      ? d.degradation
      : { level, label: LEVEL_LABELS[level] ?? `L${level}`, state: `L${level}`, since: p.at, cause: trOf('degradation')?.cause ?? null };
  const crossing = p.transitions.filter((t) => t.machine === 'weight' && /crossed|fell back below/.test(t.cause)).at(-1);
  return {
    ...d,
    latest,
    stages,
    breaker,
    degradation,
    explanation: p.explanation ?? d.explanation,
    lastCrossing: crossing ? { cause: crossing.cause, at: crossing.at, from: crossing.from, to: crossing.to } : d.lastCrossing,
  };
}

/**
 * How long until the effective weight reaches the target, from the walk of the last points (the
 * loop moves it linearly, SPEC §3.1). Null when it is there, or not moving toward it.
 */
export function secondsToTarget(points: ReadonlyArray<{ t: number; target: number; effective: number }>): number | null {
  const last = points[points.length - 1];
  const before = points[points.length - 2];
  if (!last || !before) return null;
  const gap = last.target - last.effective;
  if (Math.abs(gap) < 0.5) return null;
  const rate = (last.effective - before.effective) / ((last.t - before.t) / 1000);
  if (!(rate !== 0 && Math.sign(rate) === Math.sign(gap))) return null;
  return gap / rate;
}
