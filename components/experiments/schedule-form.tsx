'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { fieldErrorsOf } from '@/components/trpc/errors';
import { useDisplayZone } from '@/components/ui/display-zone';
import { Button } from '@/components/ui/button';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { formatDateTime } from '@/components/ui/format-time';
import type { ScheduleRow } from './contract';
import { cronWords, type Concurrency } from './schedule-words';
import { ScheduleFields } from './schedule-fields';
import styles from './experiments.module.css';

type Mode = { kind: 'create'; experiments: ReadonlyArray<{ id: string; name: string }>; experimentId: string | null } | { kind: 'edit'; schedule: ScheduleRow };

/**
 * A schedule's fields with its next runs while the cron is typed: a new schedule (the experiment
 * picked here) or an edit of one (compare-and-set on its version; a conflict is said in words).
 */
export function ScheduleForm({ mode, label, onDone }: { mode: Mode; label: string; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const zone = useDisplayZone();
  const s = mode.kind === 'edit' ? mode.schedule : null;
  const [experimentId, setExperimentId] = useState(mode.kind === 'create' ? (mode.experimentId ?? '') : s!.experimentId);
  const [cron, setCron] = useState(s?.cron ?? '0 3 * * 1');
  const [concurrency, setConcurrency] = useState<Concurrency>(s?.concurrency ?? 'forbid');
  const [historyLimit, setHistoryLimit] = useState(s?.historyLimit ?? 10);
  const [enabled, setEnabled] = useState(s?.enabled ?? true);
  const [debounced, setDebounced] = useState(cron);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(cron), 400);
    return () => clearTimeout(t);
  }, [cron]);
  const next = useQuery({ ...trpc.experiments.schedules.nextRuns.queryOptions({ cron: debounced.trim().slice(0, 120), n: 5 }), enabled: debounced.trim() !== '', retry: false });
  const after = {
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: trpc.experiments.pathKey() });
      onDone();
    },
  };
  const create = useMutation(trpc.experiments.schedules.create.mutationOptions(after));
  const update = useMutation(trpc.experiments.schedules.update.mutationOptions(after));
  const m = s ? update : create;
  const errors = fieldErrorsOf(m.error);
  const submit = () => {
    const fields = { cron: cron.trim(), concurrency, historyLimit, enabled };
    if (s) update.mutate({ id: s.id, version: s.version, ...fields });
    else create.mutate({ experimentId, ...fields });
  };
  const words = cronWords(cron);
  return (
    <form aria-label={label} noValidate onSubmit={(e) => (e.preventDefault(), submit())}>
      <div className={styles.formGrid}>
        {mode.kind === 'create' ? (
          <Field label="Experiment" error={errors.experimentId}>
            {(c) => (
              <select {...c} value={experimentId} onChange={(e) => setExperimentId(e.target.value)}>
                <option value="">Choose an experiment</option>
                {mode.experiments.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        <ScheduleFields
          cron={cron}
          onCron={setCron}
          cronHint={words ?? 'minute hour day month weekday'}
          concurrency={concurrency}
          onConcurrency={setConcurrency}
          historyLimit={historyLimit}
          onHistoryLimit={setHistoryLimit}
          errors={{ ...errors, cron: errors.cron ?? fieldErrorsOf(next.error).cron }}
        />
      </div>
      {s ? (
        <label className={styles.check}>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled (the sweep starts its runs)
        </label>
      ) : null}
      {next.data ? (
        <p className={styles.small} aria-label="Next runs">
          Next: {next.data.times.map((t) => formatDateTime(t, zone)).join(' · ') || 'never'}
        </p>
      ) : null}
      <ErrorText error={Object.keys(errors).length ? null : m.error} />
      <div className={styles.actions}>
        <Button type="submit" variant="primary" busy={m.isPending} busyLabel={s ? 'Saving…' : 'Adding…'}>
          {s ? 'Save schedule' : 'Add schedule'}
        </Button>
        <Button type="button" onClick={onDone} disabled={m.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
