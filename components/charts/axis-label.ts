// Tick labels on a value axis share a fixed width (56 px on time series) so that charts stacked with one syncId keep
// their plot areas aligned. Large figures ("120,000/s") do not fit it; they are shown compact
// ("120k/s") on the axis only — tooltips and tables keep the whole number.

const LEADING_NUMBER = /^(-?)(\d[\d,]*(?:\.\d+)?)(.*)$/s;
const STEPS: readonly { div: number; suffix: string }[] = [
  { div: 1e9, suffix: 'G' },
  { div: 1e6, suffix: 'M' },
  { div: 1e3, suffix: 'k' },
];

/** The label with its leading number compacted when it is 10,000 or more; any other label unchanged. */
export function compactAxisLabel(label: string): string {
  const m = LEADING_NUMBER.exec(label);
  if (!m) return label;
  const [, sign = '', digits = '', rest = ''] = m;
  const n = Number(digits.replaceAll(',', ''));
  if (!Number.isFinite(n) || n < 10_000) return label;
  const { div, suffix } = STEPS.find((s) => n >= s.div) ?? { div: 1e3, suffix: 'k' };
  const v = n / div;
  const shown = v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
  return `${sign}${shown}${suffix}${rest}`;
}
