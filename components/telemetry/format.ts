// Numbers of the live platform as an SRE reads them. Pure; unit-tested.

const DASH = '—';
const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Weights are shown whole: the effective weight walks in fractions, the routing layer applies integers. */
export const fmtWeight = (v: number | null | undefined) => (ok(v) ? String(Math.round(v)) : DASH);
/** A percentage that is already in % (CPU). */
export const fmtPct = (v: number | null | undefined) => (ok(v) ? `${Math.round(v)} %` : DASH);
/** A ratio 0..1 as a percentage (buffer fill, error rate); one decimal below 10 %. */
export const fmtRatio = (v: number | null | undefined) => {
  if (!ok(v)) return DASH;
  const p = v * 100;
  return p > 0 && p < 10 ? `${p.toFixed(1)} %` : `${Math.round(p)} %`;
};
export const fmtMs = (v: number | null | undefined) => (ok(v) ? `${Math.round(v).toLocaleString('en-US')} ms` : DASH);
export const fmtCount = (v: number | null | undefined) => (ok(v) ? Math.round(v).toLocaleString('en-US') : DASH);
/** Requests per second: one decimal below 100. */
export const fmtRps = (v: number | null | undefined) => (ok(v) ? `${v < 100 ? (Math.round(v * 10) / 10).toString() : Math.round(v).toLocaleString('en-US')}/s` : DASH);

export const DEGRADATION = ['L0 normal', 'L1 field-degraded', 'L2 stage-broken', 'L3 rerouted'] as const;
export const fmtDegradation = (level: number | null | undefined) => (ok(level) ? (DEGRADATION[level] ?? `L${level}`) : DASH);

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';
export const degradationTone = (level: number | null | undefined): Tone => (!ok(level) ? 'neutral' : level === 0 ? 'success' : level === 1 ? 'warning' : 'danger');
export const breakerTone = (state: string | null | undefined): Tone => (state === 'open' ? 'danger' : state === 'half-open' ? 'warning' : state === 'closed' ? 'success' : 'neutral');
export const adminTone = (state: string): Tone => (state === 'ready' ? 'success' : state === 'drain' ? 'warning' : 'neutral');
export const stageTone = (state: string): Tone => (state === 'blocked' ? 'danger' : state === 'active' ? 'info' : 'neutral');
export const bandTone = (band: string): Tone => (band === 'break' ? 'danger' : band === 'degraded' ? 'warning' : band === 'elevated' ? 'info' : 'success');

/** Share of a version's traffic an instance gets from its weight (unmatched traffic; header rules aside). */
export function trafficShare(effective: number, sumEffective: number, versionWeight: number | null, versionWeightTotal: number): number | null {
  if (!(sumEffective > 0) || versionWeight === null || !(versionWeightTotal > 0)) return null;
  return (versionWeight / versionWeightTotal) * (effective / sumEffective);
}
