/** How long the what-if replay took: "240 ms" under a second, else seconds to one decimal ("1.7 s", "71.0 s"). */
export function computeTimeText(ms: number): string {
  const rounded = Math.max(0, Math.round(ms));
  if (rounded < 1000) return `${rounded} ms`;
  return `${(ms / 1000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}

/** The line under the preview's summary; every count with thousands separators. */
export function replayLine(instances: number, samples: number, computeMs: number, threads: number = 1): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `${n(instances)} instances, ${n(samples)} stored samples, replayed twice (published policy and this draft) in ${computeTimeText(computeMs)}${threads > 1 ? ' on two threads' : ''}.`;
}
