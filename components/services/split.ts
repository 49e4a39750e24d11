import type { SplitPoint } from '@/server/services/telemetry/telemetry-read-service';

// The real traffic split from the samples, against the desired one. Pure; unit-tested.

/** Chart rows of split points: { t, <key>: requests/s }. */
export function splitRows(points: readonly SplitPoint[]): Array<Record<string, number> & { t: number }> {
  return points.map((p) => ({ ...p.v, t: p.t }));
}

/** Share of traffic per key over the points at or after `since` (0..1, summing to 1); null without traffic. */
export function actualShares(points: readonly SplitPoint[], since: number): Record<string, number> | null {
  const sums: Record<string, number> = {};
  let total = 0;
  for (const p of points) {
    if (p.t < since) continue;
    for (const [k, v] of Object.entries(p.v)) {
      sums[k] = (sums[k] ?? 0) + v;
      total += v;
    }
  }
  if (!(total > 0)) return null;
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / total]));
}

/** Desired shares from the version weights (0..1); empty when no weights are set. */
export function desiredShares(versionWeights: Record<string, number>): Record<string, number> {
  const total = Object.values(versionWeights).reduce((a, b) => a + Math.max(0, b), 0);
  if (!(total > 0)) return {};
  return Object.fromEntries(Object.entries(versionWeights).map(([k, v]) => [k, Math.max(0, v) / total]));
}

/** "v1 90 % · v2 10 %" in natural version order. */
export function formatShares(shares: Record<string, number>): string {
  const entries = Object.entries(shares).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  return entries.length ? entries.map(([k, v]) => `${k} ${Math.round(v * 1000) / 10} %`).join(' · ') : '—';
}
