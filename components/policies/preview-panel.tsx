'use client';

import { TimeSeries } from '@/components/charts/time-series';
import { Table } from '@/components/ui/table';
import { replayLine } from './preview-words';
import styles from './policies.module.css';

interface Counts {
  stageBreaks: number;
  degradations: number;
  breakerOpens: number;
  weightRecomputes: number;
}

export interface PreviewResult {
  window: { from: Date | string; to: Date | string; minutes: number };
  instances: number;
  samples: number;
  computeMs: number;
  /** 2: replayed on two threads. */
  threads?: number;
  actual: Counts & { instancesBelowLow: number; meanEffectiveWeight: number };
  baseline: Counts & { instancesBelowLow: number; meanEffectiveWeight: number };
  draft: Counts & { instancesBelowLow: number; meanEffectiveWeight: number };
  summary: string;
  notes: string[];
  changed: Array<{ name: string; baseMin: number; draftMin: number; baseTransitions: number; draftTransitions: number }>;
  series: Array<{ at: number; actual: number; base: number; draft: number }>;
}

const ROWS: Array<[keyof Counts, string]> = [
  ['stageBreaks', 'Stage-breaks'],
  ['degradations', 'Degradation steps up'],
  ['breakerOpens', 'Breaker opens'],
  ['weightRecomputes', 'Weight recomputes'],
];

export function PreviewPanel({ result: r }: { result: PreviewResult }) {
  const from = new Date(r.window.from).getTime();
  const to = new Date(r.window.to).getTime();
  return (
    <section className={styles.panel} aria-label="What-if preview">
      <h3>What-if: the last {r.window.minutes} minutes replayed</h3>
      <p className={styles.summary} role="status">
        {r.summary}
      </p>
      <p className="muted">
        {replayLine(r.instances, r.samples, r.computeMs, r.threads)} “Actually” is what the live loop recorded after the first of these samples (the replay starts in its state).
      </p>
      {r.notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      <Table label="What-if counts">
        <thead>
          <tr>
            <th scope="col">Over the window</th>
            <th scope="col">Actually</th>
            <th scope="col">Published policy (replayed)</th>
            <th scope="col">This draft</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([k, label]) => (
            <tr key={k}>
              <th scope="row">{label}</th>
              <td>{r.actual[k]}</td>
              <td>{r.baseline[k]}</td>
              <td>{r.draft[k]}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Instances below weight 20</th>
            <td>{r.actual.instancesBelowLow}</td>
            <td>{r.baseline.instancesBelowLow}</td>
            <td>{r.draft.instancesBelowLow}</td>
          </tr>
          <tr>
            <th scope="row">Mean effective weight</th>
            <td>{r.actual.meanEffectiveWeight}</td>
            <td>{r.baseline.meanEffectiveWeight}</td>
            <td>{r.draft.meanEffectiveWeight}</td>
          </tr>
        </tbody>
      </Table>
      <TimeSeries
        title="Mean effective weight"
        summary={`Mean effective weight over ${r.window.minutes} minutes: published ${r.baseline.meanEffectiveWeight}, draft ${r.draft.meanEffectiveWeight}`}
        domain={[from, to]}
        yDomain={[0, 'auto']}
        data={r.series.map((s) => ({ t: s.at, actual: s.actual, base: s.base, draft: s.draft }))}
        series={[
          { key: 'actual', label: 'Actually', color: 'var(--chart-3)' },
          { key: 'base', label: 'Published (replayed)', dashed: true, color: 'var(--chart-1)' },
          { key: 'draft', label: 'Draft', color: 'var(--chart-2)' },
        ]}
        empty="No stored samples in this window: the worker has not been running."
      />
      {r.changed.length > 0 ? (
        <Table label="Instances the draft changes most">
          <thead>
            <tr>
              <th scope="col">Instance</th>
              <th scope="col">Lowest weight (published → draft)</th>
              <th scope="col">Transitions (published → draft)</th>
            </tr>
          </thead>
          <tbody>
            {r.changed.map((c) => (
              <tr key={c.name}>
                <th scope="row">
                  <a href={`/instances/${c.name}`}>{c.name}</a>
                </th>
                <td>
                  {c.baseMin} → {c.draftMin}
                </td>
                <td>
                  {c.baseTransitions} → {c.draftTransitions}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </section>
  );
}
