'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { fieldErrorsOf } from '@/components/trpc/errors';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ErrorText } from '@/components/ui/error-text';
import { Num, NumHead, Table } from '@/components/ui/table';
import type { ExperimentDetail } from './contract';
import { dueWords, type Concurrency } from './schedule-words';
import { ScheduleFields } from './schedule-fields';
import styles from './experiments.module.css';

const utc = (d: string | Date | null) => (d ? `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/** The experiment's cron schedules (UTC) with their next runs; operators add and remove them. */
export function SchedulesPanel({ experiment, canAuthor }: { experiment: ExperimentDetail; canAuthor: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [cron, setCron] = useState('0 3 * * 1');
  const [concurrency, setConcurrency] = useState<Concurrency>('forbid');
  const [historyLimit, setHistoryLimit] = useState(10);
  const [debounced, setDebounced] = useState(cron);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(cron), 400);
    return () => clearTimeout(t);
  }, [cron]);
  const next = useQuery({ ...trpc.experiments.schedules.nextRuns.queryOptions({ cron: debounced.trim().slice(0, 120), n: 5 }), enabled: canAuthor && debounced.trim() !== '', retry: false });
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.experiments.pathKey() });
  const create = useMutation(trpc.experiments.schedules.create.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.experiments.schedules.remove.mutationOptions({ onSettled: refresh }));
  const errors = fieldErrorsOf(create.error);
  // As of opening: a nextRunAt already past reads as due (the next sweep fires it); once swept, the
  // refetched row has the next time.
  const [openedAt] = useState(() => Date.now());
  const nextRun = (at: string | Date | null) => {
    const due = at ? dueWords(at, openedAt) : null;
    return due ? `${utc(at)} (${due})` : utc(at);
  };
  return (
    <section className={styles.panel} aria-labelledby="schedules-heading">
      <h2 id="schedules-heading">Schedules</h2>
      {experiment.schedules.length === 0 ? (
        <p className="muted">No schedule: this experiment runs when someone starts it.</p>
      ) : (
        <Table label="Schedules of this experiment">
          <thead>
            <tr>
              <th scope="col">Cron (UTC)</th>
              <th scope="col">Concurrency</th>
              <NumHead scope="col">History</NumHead>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
              {canAuthor ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {experiment.schedules.map((s) => (
              <tr key={s.id}>
                <td>
                  <code>{s.cron}</code> {s.enabled ? null : <Badge>disabled</Badge>}
                </td>
                <td>{s.concurrency}</td>
                <Num>{s.historyLimit}</Num>
                <td>{s.enabled ? nextRun(s.nextRunAt) : '—'}</td>
                <td>{utc(s.lastRunAt)}</td>
                {canAuthor ? (
                  <td>
                    <Button size="small" variant="ghost" disabled={remove.isPending} aria-label={`Remove schedule ${s.cron}`} onClick={() => remove.mutate({ id: s.id, version: s.version })}>
                      Remove
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <ErrorText error={remove.error} />
      {canAuthor ? (
        <form aria-label="New schedule" noValidate onSubmit={(e) => (e.preventDefault(), create.mutate({ experimentId: experiment.id, cron: cron.trim(), concurrency, historyLimit, enabled: true }))}>
          <div className={styles.formGrid}>
            <ScheduleFields
              cron={cron}
              onCron={setCron}
              cronHint="minute hour day month weekday"
              concurrency={concurrency}
              onConcurrency={setConcurrency}
              historyLimit={historyLimit}
              onHistoryLimit={setHistoryLimit}
              errors={{ ...errors, cron: errors.cron ?? fieldErrorsOf(next.error).cron }}
            />
          </div>
          {next.data ? (
            <p className={styles.small} aria-label="Next runs">
              Next: {next.data.times.map((t) => utc(t)).join(' · ') || 'never'}
            </p>
          ) : null}
          <ErrorText error={Object.keys(errors).length ? null : create.error} />
          <Button type="submit" busy={create.isPending} busyLabel="Adding…">
            Add schedule
          </Button>
        </form>
      ) : null}
    </section>
  );
}
