'use client';

// First: no eval under the CSP; zod must be configured before any rollout schema module is loaded.
import '@/components/policies/zod-no-eval';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { HEADER_MATCHES, type RolloutStep } from '@/server/domain/rollouts/spec';
import { MetricsEditor } from './metrics-editor';
import { NumberInput } from './number-input';
import { errorsAt, moved, newStep, removed, type SpecErrors } from './spec-draft';
import { STEP_KIND_LABELS, stepSummary } from './words';
import styles from './rollouts.module.css';

const KINDS = Object.keys(STEP_KIND_LABELS) as Array<RolloutStep['kind']>;
const MATCH_LABELS = { exact: 'is exactly', prefix: 'starts with', regex: 'matches the pattern' } as const;

interface Props {
  steps: RolloutStep[];
  onChange: (steps: RolloutStep[]) => void;
  errors: SpecErrors;
  canaryVersion: string;
  disabled?: boolean;
}

/**
 * The ordered steps: add, remove and reorder with buttons (keyboard and screen readers included;
 * no drag and drop). Each row keeps a key of its own so a moved step keeps its focus and fields.
 */
export function StepsEditor({ steps, onChange, errors, canaryVersion, disabled }: Props) {
  const [kind, setKind] = useState<RolloutStep['kind']>('setWeight');
  const next = useRef(0);
  const keys = useRef<number[]>([]);
  while (keys.current.length < steps.length) keys.current.push(next.current++);
  if (keys.current.length > steps.length) keys.current = keys.current.slice(0, steps.length);
  const listRef = useRef<HTMLOListElement>(null);

  const update = (nextSteps: RolloutStep[], nextKeys: number[]) => {
    keys.current = nextKeys;
    onChange(nextSteps);
  };
  const move = (i: number, d: -1 | 1) => {
    update(moved(steps, i, d), moved(keys.current, i, d));
    // Keep the focus on the same step's button after it moved, so pressing again moves it further.
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLButtonElement>(`[data-step="${i + d}"][data-move="${d}"]`)?.focus());
  };
  const set = (i: number, s: RolloutStep) => onChange(steps.map((x, k) => (k === i ? s : x)));
  const stepErrors = errorsAt(errors, 'steps');

  return (
    <section aria-labelledby="steps-heading">
      <h2 id="steps-heading">Steps</h2>
      <p className="muted">Run in order. Header routes send a cohort to the canary; weights split the rest of the traffic; pauses, approvals and analyses gate the next step.</p>
      <ol ref={listRef} className={styles.steps} aria-label="Steps">
        {steps.map((s, i) => {
          const p = `steps.${i}`;
          const label = `Step ${i + 1}`;
          return (
            <li key={keys.current[i]} className={styles.stepItem} aria-label={`${label}: ${STEP_KIND_LABELS[s.kind]}`}>
              <div className={styles.stepHead}>
                <span>
                  <strong>
                    {label} · {STEP_KIND_LABELS[s.kind]}
                  </strong>{' '}
                  <span className="muted">{safeSummary(s)}</span>
                </span>
                <span className={styles.stepButtons}>
                <Button size="small" data-step={i} data-move={-1} disabled={disabled || i === 0} onClick={() => move(i, -1)} aria-label={`Move step ${i + 1} up`}>
                  ↑ Up
                </Button>
                <Button size="small" data-step={i} data-move={1} disabled={disabled || i === steps.length - 1} onClick={() => move(i, 1)} aria-label={`Move step ${i + 1} down`}>
                  ↓ Down
                </Button>
                <Button size="small" variant="ghost" disabled={disabled} onClick={() => update(removed(steps, i), removed(keys.current, i))} aria-label={`Remove step ${i + 1}`}>
                  Remove
                </Button>
                </span>
              </div>
              <div className={styles.stepFields}>
                <StepFields step={s} path={p} errors={errors} disabled={disabled} onChange={(x) => set(i, x)} />
              </div>
            </li>
          );
        })}
      </ol>
      {stepErrors ? <p className={styles.fieldError} role="alert">{stepErrors.join(' · ')}</p> : null}
      <div className={styles.addStep}>
        <label>
          New step{' '}
          <select value={kind} disabled={disabled} onChange={(e) => setKind(e.target.value as RolloutStep['kind'])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {STEP_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <Button disabled={disabled || steps.length >= 50} onClick={() => update([...steps, newStep(kind, canaryVersion)], [...keys.current, next.current++])}>
          Add step
        </Button>
      </div>
    </section>
  );
}

/** A summary of a half-typed step must not throw (NaN weights, an empty header). */
function safeSummary(s: RolloutStep): string {
  try {
    return stepSummary(s);
  } catch {
    return '';
  }
}

function StepFields({ step: s, path: p, errors, disabled, onChange }: { step: RolloutStep; path: string; errors: SpecErrors; disabled?: boolean; onChange: (s: RolloutStep) => void }) {
  const err = (f: string) => errorsAt(errors, `${p}.${f}`);
  switch (s.kind) {
    case 'setWeight':
      return (
        <Field label="Canary weight" hint="Share of the traffic not matched by a header route" error={err('weight')}>
          {(c) => <NumberInput control={c} value={s.weight} min={0} max={100} unit="%" disabled={disabled} onChange={(weight) => onChange({ ...s, weight })} />}
        </Field>
      );
    case 'setHeaderRoute':
      return (
        <>
          <Field label="Header" error={err('header')} maxLength={100}>
            {(c) => <input {...c} value={s.header} disabled={disabled} onChange={(e) => onChange({ ...s, header: e.target.value })} />}
          </Field>
          <Field label="Match" error={err('match')}>
            {(c) => (
              <select {...c} value={s.match} disabled={disabled} onChange={(e) => onChange({ ...s, match: e.target.value as (typeof HEADER_MATCHES)[number] })}>
                {HEADER_MATCHES.map((m) => (
                  <option key={m} value={m}>
                    {MATCH_LABELS[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Value" hint={s.match === 'regex' ? 'A regular expression' : undefined} error={err('value')} maxLength={200}>
            {(c) => <input {...c} value={s.value} disabled={disabled} onChange={(e) => onChange({ ...s, value: e.target.value })} />}
          </Field>
        </>
      );
    case 'pause':
      return (
        <>
          <label className={styles.check}>
            <input type="checkbox" checked={s.seconds === undefined} disabled={disabled} onChange={(e) => onChange(e.target.checked ? { kind: 'pause' } : { kind: 'pause', seconds: 60 })} /> Until someone resumes it
          </label>
          {s.seconds !== undefined ? (
            <Field label="Pause for" error={err('seconds')}>
              {(c) => <NumberInput control={c} value={s.seconds} min={1} unit="seconds" disabled={disabled} onChange={(seconds) => onChange({ ...s, seconds })} />}
            </Field>
          ) : null}
        </>
      );
    case 'approval':
      return (
        <>
          <Field label="Quorum" hint="Distinct approvers, never the author" error={err('quorum')}>
            {(c) => <NumberInput control={c} value={s.quorum} min={1} max={10} unit="approvers" disabled={disabled} onChange={(quorum) => onChange({ ...s, quorum })} />}
          </Field>
          <Field label="Expires after" error={err('expiresInS')}>
            {(c) => <NumberInput control={c} value={s.expiresInS} min={60} unit="seconds" disabled={disabled} onChange={(expiresInS) => onChange({ ...s, expiresInS })} />}
          </Field>
          <Field label="On expiry" error={err('onExpiry')}>
            {(c) => (
              <select {...c} value={s.onExpiry} disabled={disabled} onChange={(e) => onChange({ ...s, onExpiry: e.target.value as typeof s.onExpiry })}>
                <option value="stay-paused">Stay paused</option>
                <option value="abort">Abort (roll back)</option>
              </select>
            )}
          </Field>
        </>
      );
    case 'analysis':
      return (
        <>
          <Field label="Analysis budget" hint="Undecided by then: inconclusive, the rollout pauses for a person" error={err('seconds')}>
            {(c) => <NumberInput control={c} value={s.seconds} min={10} unit="seconds" disabled={disabled} onChange={(seconds) => onChange({ ...s, seconds })} />}
          </Field>
          <MetricsEditor label={`Metrics of step ${Number(p.split('.')[1]) + 1}`} metrics={s.metrics} path={`${p}.metrics`} errors={errors} disabled={disabled} onChange={(metrics) => onChange({ ...s, metrics })} />
        </>
      );
  }
}
