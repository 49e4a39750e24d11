'use client';

// Grouped bars over named categories (a report's layers), with optional threshold lines. Only
// components/charts draws (ARCHITECTURE.md); the rest of the UI passes data and words. The frame
// renders at the first paint, the recharts plot (category-bars-plot.tsx) loads after it, as in
// time-series.tsx.
import dynamic from 'next/dynamic';
import { useId } from 'react';
import styles from './charts.module.css';

export interface BarSeries {
  key: string;
  label: string;
}

export interface CategoryBarsProps {
  title: string;
  summary: string;
  data: Array<Record<string, string | number | null>>;
  series: BarSeries[];
  format: (v: number) => string;
  thresholds?: Array<{ value: number; label: string }>;
  height?: number;
  yDomain?: [number, number];
}

export const BAR_PALETTE = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-8)', 'var(--chart-3)'];

const CategoryBarsPlot = dynamic(() => import('./category-bars-plot'), { ssr: false, loading: () => <div className={styles.plotLoading} aria-hidden="true" /> });

export function CategoryBars(props: CategoryBarsProps) {
  const { title, summary, data, series, height = 200 } = props;
  const titleId = useId();
  return (
    <figure className={styles.figure} aria-labelledby={titleId}>
      <figcaption className={styles.caption}>
        <span id={titleId} className={styles.title}>
          {title}
        </span>
        <span className={styles.legend}>
          {series.map((s, i) => (
            <span key={s.key} className={styles.legendItem}>
              <span aria-hidden="true" className={styles.swatchArea} style={{ ['--swatch' as string]: BAR_PALETTE[i % BAR_PALETTE.length] }} />
              {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div role="img" aria-label={summary} className={styles.plot} style={{ height }}>
        {data.length ? <CategoryBarsPlot {...props} /> : <p className={styles.empty}>No layer has data.</p>}
      </div>
    </figure>
  );
}
