'use client';
// The fields a schedule is made of — cron, concurrency, runs kept — shared by the experiment's
// schedules panel (add) and the schedules tab's form (add and edit), so both ask the same way.
import { Field } from '@/components/ui/field';
import { NumberInput } from '@/components/rollouts/number-input';
import { CONCURRENCY, CONCURRENCY_WORDS, type Concurrency } from './schedule-words';

export interface ScheduleFieldsProps {
  cron: string;
  onCron: (v: string) => void;
  /** Under the cron field: the expression in words, or what its five fields are. */
  cronHint: string;
  concurrency: Concurrency;
  onConcurrency: (v: Concurrency) => void;
  historyLimit: number;
  onHistoryLimit: (v: number) => void;
  errors: { cron?: string | string[]; concurrency?: string | string[]; historyLimit?: string | string[] };
}

export function ScheduleFields(p: ScheduleFieldsProps) {
  return (
    <>
      <Field label="Cron (5 fields, UTC)" hint={p.cronHint} error={p.errors.cron} maxLength={120} length={p.cron.length}>
        {(c) => <input {...c} value={p.cron} onChange={(e) => p.onCron(e.target.value)} />}
      </Field>
      <Field label="Concurrency" error={p.errors.concurrency}>
        {(c) => (
          <select {...c} value={p.concurrency} onChange={(e) => p.onConcurrency(e.target.value as Concurrency)}>
            {CONCURRENCY.map((k) => (
              <option key={k} value={k}>
                {CONCURRENCY_WORDS[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Runs kept in the history" error={p.errors.historyLimit}>
        {(c) => <NumberInput control={c} value={p.historyLimit} min={1} max={100} onChange={p.onHistoryLimit} />}
      </Field>
    </>
  );
}
