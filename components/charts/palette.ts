import type { Tone } from './time-series';

// Chart colours by position and by tone: CSS variables of charts.module.css (light and dark).
const PALETTE = 8;
export const seriesColor = (i: number) => `var(--chart-${(i % PALETTE) + 1})`;
export const TONE_COLOR: Record<Tone, string> = {
  neutral: 'var(--chart-axis)',
  info: 'var(--chart-info)',
  success: 'var(--chart-success)',
  warning: 'var(--chart-warning)',
  danger: 'var(--chart-danger)',
};
