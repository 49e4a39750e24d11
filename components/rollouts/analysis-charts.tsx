'use client';

import { TimeSeries } from '@/components/charts/time-series';
import { Badge } from '@/components/ui/badge';
import type { AnalysisResult, AnalysisRunView, MetricResultView } from './contract';
import { metricText, VERDICT_LABELS, verdictTone } from './words';
import styles from './rollouts.module.css';

/** A stored AnalysisRun.result, if it has the AnalysisResult shape (it is JSON in the database). */
export function resultOf(run: AnalysisRunView): AnalysisResult | null {
  const r = run.result as Partial<AnalysisResult> | null | undefined;
  return r && Array.isArray(r.metrics) && typeof r.summary === 'string' ? (r as AnalysisResult) : null;
}

/** One analysis (a step's, or the background one): its verdict and a chart per metric. */
export function AnalysisCharts({ run, now }: { run: AnalysisRunView; now: number }) {
  const result = resultOf(run);
  const title = run.stepIndex < 0 ? 'Background analysis' : `Analysis of step ${run.stepIndex + 1}`;
  return (
    <section className={styles.panel} aria-label={title}>
      <h3>
        {title} <Badge tone={verdictTone(run.verdict)}>{VERDICT_LABELS[run.verdict] ?? run.verdict}</Badge>
      </h3>
      {result ? (
        <>
          <p className={styles.explain}>{result.summary}</p>
          {result.metrics.map((m, i) => (
            <MetricChart key={i} metric={m} now={now} syncId={`analysis-${run.id}`} running={run.verdict === 'running'} />
          ))}
        </>
      ) : (
        <p className="muted">No evidence yet: the analysis looks at every tick once canary traffic flows.</p>
      )}
    </section>
  );
}

function MetricChart({ metric: m, now, syncId, running }: { metric: MetricResultView; now: number; syncId: string; running: boolean }) {
  // While the analysis runs, a metric's pass is its current within-margin evidence, which later
  // ticks can take away (the step passes only if it still holds when the budget ends): not a decision.
  const label = running && m.verdict === 'pass' ? 'within margin' : (VERDICT_LABELS[m.verdict] ?? m.verdict);
  const latency = m.metric.metric === 'latency';
  const unit = (v: number) => (latency ? `${Math.round(v)} ms` : `${Math.round(v * 100) / 100} %`);
  const data = m.series.map((p) => ({ t: p.at, canary: p.canary, stable: p.stable, low: p.low, high: p.high }));
  const from = data[0]?.t ?? now - 60_000;
  const to = Math.max(data[data.length - 1]?.t ?? now, m.decidedAt ?? 0, from + 1000);
  return (
    <>
      <TimeSeries
        title={metricText(m.metric)}
        summary={`${metricText(m.metric)}: ${m.explanation}`}
        data={data}
        series={[
          { key: 'stable', label: 'stable' },
          { key: 'canary', label: 'canary' },
          { key: 'low', label: 'canary band, low', dashed: true, width: 1 },
          { key: 'high', label: 'canary band, high', dashed: true, width: 1 },
        ]}
        domain={[from, to]}
        yDomain={[0, 'auto']}
        format={unit}
        syncId={syncId}
        markers={m.decidedAt !== null ? [{ t: m.decidedAt, label: running && m.verdict === 'pass' ? 'within margin since' : `decided: ${label}`, tone: m.verdict === 'fail' ? 'danger' : 'success' }] : []}
        empty="No requests compared yet."
        height={170}
      >
        <Badge tone={verdictTone(m.verdict)}>{label}</Badge>
      </TimeSeries>
      <p className={`${styles.explain} ${styles.small}`}>{m.explanation}</p>
    </>
  );
}
