'use client';

// Grouped bars over named categories (a report's layers), with optional threshold lines. The
// second file that imports recharts (ARCHITECTURE.md: only components/charts draws); the rest of
// the UI passes data and words.
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import styles from './charts.module.css';

export interface BarSeries {
  key: string;
  label: string;
}

const PALETTE = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-8)', 'var(--chart-3)'];

export function CategoryBars({ title, summary, data, series, format, thresholds = [], height = 200, yDomain }: { title: string; summary: string; data: Array<Record<string, string | number | null>>; series: BarSeries[]; format: (v: number) => string; thresholds?: Array<{ value: number; label: string }>; height?: number; yDomain?: [number, number] }) {
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
              <span aria-hidden="true" className={styles.swatchArea} style={{ ['--swatch' as string]: PALETTE[i % PALETTE.length] }} />
              {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div role="img" aria-label={summary} className={styles.plot} style={{ height }}>
        {data.length ? (
          <BarChart responsive data={data} accessibilityLayer={false} margin={{ top: 14, right: 12, bottom: 0, left: 0 }} style={{ width: '100%', height: '100%' }}>
            <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
            <XAxis dataKey="name" stroke="var(--chart-axis)" tick={{ fill: 'var(--chart-axis)', fontSize: 11 }} height={22} />
            <YAxis tickFormatter={(v: number) => format(v)} stroke="var(--chart-axis)" tick={{ fill: 'var(--chart-axis)', fontSize: 11 }} width={64} domain={yDomain ?? ['auto', 'auto']} allowDataOverflow={yDomain !== undefined} />
            <Tooltip isAnimationActive={false} cursor={{ fill: 'var(--chart-grid)' }} formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border-strong)', color: 'var(--text)' }} />
            {thresholds.map((t) => (
              <ReferenceLine key={t.label} y={t.value} stroke="var(--chart-warning)" strokeDasharray="5 4" ifOverflow="extendDomain" label={{ value: t.label, position: 'insideTopRight', fill: 'var(--chart-warning)', fontSize: 11 }} />
            ))}
            {series.map((s, i) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        ) : (
          <p className={styles.empty}>No layer has data.</p>
        )}
      </div>
    </figure>
  );
}
