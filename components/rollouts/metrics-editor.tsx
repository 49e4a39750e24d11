'use client';

// First: no eval under the CSP; zod must be configured before any rollout schema module is loaded.
import '@/components/policies/zod-no-eval';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { LATENCY_QUANTILES, type AnalysisMetric } from '@/server/domain/rollouts/spec';
import { NumberInput } from './number-input';
import { errorsAt, removed, type SpecErrors } from './spec-draft';
import styles from './rollouts.module.css';

/** The metrics of an analysis and the regression each tolerates, relative to stable. */
export function MetricsEditor({ label, metrics, onChange, errors, path, disabled }: { label: string; metrics: AnalysisMetric[]; onChange: (m: AnalysisMetric[]) => void; errors: SpecErrors; path: string; disabled?: boolean }) {
  const set = (i: number, m: AnalysisMetric) => onChange(metrics.map((x, k) => (k === i ? m : x)));
  const listErrors = errorsAt(errors, path);
  return (
    <fieldset className={styles.metrics}>
      <legend>{label}</legend>
      {metrics.map((m, i) => (
        <div key={i} className={styles.metricRow}>
          <Field label={`Metric ${i + 1}`} error={errorsAt(errors, `${path}.${i}.metric`)}>
            {(c) => (
              <select
                {...c}
                value={m.metric}
                disabled={disabled}
                onChange={(e) => set(i, e.target.value === 'latency' ? { metric: 'latency', quantile: 95, maxIncreasePct: m.maxIncreasePct } : { metric: 'error-rate', maxIncreasePct: m.maxIncreasePct })}
              >
                <option value="error-rate">Error rate</option>
                <option value="latency">Latency</option>
              </select>
            )}
          </Field>
          {m.metric === 'latency' ? (
            <Field label="Quantile" error={errorsAt(errors, `${path}.${i}.quantile`)}>
              {(c) => (
                <select {...c} value={m.quantile} disabled={disabled} onChange={(e) => set(i, { ...m, quantile: Number(e.target.value) as (typeof LATENCY_QUANTILES)[number] })}>
                  {LATENCY_QUANTILES.map((q) => (
                    <option key={q} value={q}>
                      P{q}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field label="Allowed increase over stable" error={errorsAt(errors, `${path}.${i}.maxIncreasePct`)}>
            {(c) => <NumberInput control={c} value={m.maxIncreasePct} min={1} max={1000} unit="%" disabled={disabled} onChange={(v) => set(i, { ...m, maxIncreasePct: v })} />}
          </Field>
          <Button size="small" variant="ghost" disabled={disabled || metrics.length <= 1} onClick={() => onChange(removed(metrics, i))} aria-label={`Remove metric ${i + 1} of ${label.toLowerCase()}`}>
            Remove
          </Button>
        </div>
      ))}
      {listErrors ? <p className={styles.fieldError}>{listErrors.join(' · ')}</p> : null}
      <Button
        size="small"
        disabled={disabled || metrics.length >= 4}
        onClick={() => onChange([...metrics, metrics.some((m) => m.metric === 'error-rate') ? { metric: 'latency', quantile: 99, maxIncreasePct: 20 } : { metric: 'error-rate', maxIncreasePct: 50 }])}
      >
        Add metric
      </Button>
    </fieldset>
  );
}
