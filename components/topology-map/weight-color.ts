// The colour of an effective weight on the placement view: red (0) → green (100), grey without telemetry.
export function weightColor(w: number | null | undefined): string {
  if (w === null || w === undefined || Number.isNaN(w)) return 'hsl(220, 10%, 30%)';
  const t = Math.max(0, Math.min(100, w)) / 100;
  // Hue 0 (red) → 120 (green); dark enough that white text stays readable (contrast ≥ 4.5:1).
  return `hsl(${Math.round(t * 120)}, 65%, ${Math.round(30 - t * 6)}%)`;
}
