'use client';

// The recharts drawing of <CategoryBars> (category-bars.tsx), in a chunk of its own (see time-series.tsx).
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { BAR_PALETTE, type CategoryBarsProps } from './category-bars';
import { compactAxisLabel } from './axis-label';

export default function CategoryBarsPlot({ data, series, format, thresholds = [], yDomain }: CategoryBarsProps) {
  return (
    <BarChart responsive data={data} accessibilityLayer={false} margin={{ top: 14, right: 12, bottom: 0, left: 0 }} style={{ width: '100%', height: '100%' }}>
      <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
      <XAxis dataKey="name" stroke="var(--chart-axis)" tick={{ fill: 'var(--chart-axis)', fontSize: 11 }} height={22} />
      <YAxis tickFormatter={(v: number) => compactAxisLabel(format(v))} stroke="var(--chart-axis)" tick={{ fill: 'var(--chart-axis)', fontSize: 11 }} width={64} domain={yDomain ?? ['auto', 'auto']} allowDataOverflow={yDomain !== undefined} />
      <Tooltip isAnimationActive={false} cursor={{ fill: 'var(--chart-grid)' }} formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border-strong)', color: 'var(--text)' }} />
      {thresholds.map((t) => (
        <ReferenceLine key={t.label} y={t.value} stroke="var(--chart-warning)" strokeDasharray="5 4" ifOverflow="extendDomain" label={{ value: t.label, position: 'insideTopRight', fill: 'var(--chart-warning)', fontSize: 11 }} />
      ))}
      {series.map((s, i) => (
        <Bar key={s.key} dataKey={s.key} name={s.label} fill={BAR_PALETTE[i % BAR_PALETTE.length]} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}
