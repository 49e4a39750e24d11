'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { NumberInput } from '@/components/rollouts/number-input';
import { CONDITION_KINDS, type Condition } from '@/server/domain/experiments/spec';
import { errorsAt, newCondition, type DraftErrors } from './spec-draft';
import { CONDITION_LABELS } from './words';
import styles from './experiments.module.css';

interface Props {
  title: string;
  explain: string;
  /** Names each row for assistive tech: "Abort condition 2". */
  name: string;
  /** Where the list is in the draft ("spec.abortConditions"), for its errors. */
  path: string;
  conditions: Condition[];
  onChange: (c: Condition[]) => void;
  errors: DraftErrors;
  disabled?: boolean;
}

/** A list of SLO checks: add a kind, edit its threshold and window, remove it. */
export function ConditionsEditor({ title, explain, name, path, conditions, onChange, errors, disabled }: Props) {
  const [kind, setKind] = useState<Condition['kind']>('p99-above');
  const hid = useId();
  const set = (i: number, c: Condition) => onChange(conditions.map((x, k) => (k === i ? c : x)));
  return (
    <section aria-labelledby={hid}>
      <h2 id={hid}>{title}</h2>
      <p className={`muted ${styles.small}`}>{explain}</p>
      <ol className={styles.rows} aria-label={title}>
        {conditions.map((c, i) => {
          const at = `${path}.${i}`;
          const err = (k: string) => errorsAt(errors, `${at}.${k}`);
          return (
            <li key={i} className={styles.row} aria-label={`${name} ${i + 1}`}>
              <Field label="Check" error={errorsAt(errors, `${at}.kind`)}>
                {(ctl) => (
                  <select {...ctl} value={c.kind} disabled={disabled} onChange={(e) => set(i, newCondition(e.target.value as Condition['kind']))}>
                    {CONDITION_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {CONDITION_LABELS[k]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {c.kind === 'availability-below' ? (
                <Field label="Availability" error={err('pct')}>
                  {(ctl) => <NumberInput control={ctl} value={c.pct} unit="%" min={1} max={100} step={0.1} disabled={disabled} onChange={(v) => set(i, { ...c, pct: v })} />}
                </Field>
              ) : null}
              {c.kind === 'p99-above' ? (
                <Field label="P99" error={err('ms')}>
                  {(ctl) => <NumberInput control={ctl} value={c.ms} unit="ms" min={1} disabled={disabled} onChange={(v) => set(i, { ...c, ms: v })} />}
                </Field>
              ) : null}
              {c.kind === 'availability-below' || c.kind === 'p99-above' ? (
                <Field label="Over" error={err('windowS')}>
                  {(ctl) => <NumberInput control={ctl} value={c.windowS} unit="s" min={5} disabled={disabled} onChange={(v) => set(i, { ...c, windowS: v })} />}
                </Field>
              ) : null}
              {c.kind === 'breakers-open-above' || c.kind === 'degraded-at-least' ? (
                <Field label={c.kind === 'breakers-open-above' ? 'Open breakers' : 'Instances at L2+'} error={err('count')}>
                  {(ctl) => <NumberInput control={ctl} value={c.count} min={c.kind === 'breakers-open-above' ? 0 : 1} disabled={disabled} onChange={(v) => set(i, { ...c, count: v })} />}
                </Field>
              ) : null}
              <Button size="small" variant="ghost" disabled={disabled} aria-label={`Remove ${name.toLowerCase()} ${i + 1}`} onClick={() => onChange(conditions.filter((_, k) => k !== i))}>
                Remove
              </Button>
            </li>
          );
        })}
      </ol>
      {conditions.length === 0 ? <p className={`muted ${styles.small}`}>None.</p> : null}
      {errorsAt(errors, path) ? <p className={styles.fieldError}>{errorsAt(errors, path)?.join(' · ')}</p> : null}
      <div className={styles.actions}>
        <label className={styles.small}>
          Add a check{' '}
          <select className={styles.select} aria-label={`New ${name.toLowerCase()}`} value={kind} disabled={disabled} onChange={(e) => setKind(e.target.value as Condition['kind'])}>
            {CONDITION_KINDS.map((k) => (
              <option key={k} value={k}>
                {CONDITION_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <Button size="small" disabled={disabled || conditions.length >= 10} onClick={() => onChange([...conditions, newCondition(kind)])}>
          Add {name.toLowerCase()}
        </Button>
      </div>
    </section>
  );
}
