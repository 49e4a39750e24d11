// Breaks in a time series: a missing stretch (the loop stopped, the instance was not sampled) is
// drawn as a gap, not as a straight line across it. Pure; unit-tested.

/**
 * Inserts a row with null values for `keys` after every pair of rows further apart than `gapMs`,
 * so lines and areas break there. Returns the input array itself when there is no gap.
 */
export function withGaps<R extends { t: number }>(rows: readonly R[], keys: readonly string[], gapMs: number): readonly R[] {
  if (!(gapMs > 0) || rows.length < 2) return rows;
  let out: R[] | null = null;
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1]!;
    if (rows[i]!.t - prev.t > gapMs) {
      out ??= rows.slice(0, i);
      const hole = { t: prev.t + 1 } as Record<string, unknown>;
      for (const k of keys) hole[k] = null;
      out.push(hole as R);
    }
    out?.push(rows[i]!);
  }
  return out ?? rows;
}
