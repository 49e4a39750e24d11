'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { useDisplayZone } from '@/components/ui/display-zone';
import { ErrorText } from '@/components/ui/error-text';
import { formatDateTime } from '@/components/ui/format-time';
import styles from './experiments.module.css';

/**
 * Asks the worker to run the schedules sweep now instead of at the next minute; with a schedule,
 * its next occurrence is brought forward to now (under its concurrency policy). The result says
 * what was queued; the list refreshes from the live feed as the sweep records runs.
 */
export function EvaluateNowButton({ schedule }: { schedule?: { id: string; name: string; concurrency: string } }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const zone = useDisplayZone();
  const evaluate = useMutation(trpc.experiments.schedules.evaluateNow.mutationOptions({ onSettled: () => void qc.invalidateQueries({ queryKey: trpc.experiments.pathKey() }) }));
  const r = evaluate.data;
  const at = r ? formatDateTime(r.queuedAt, zone) : '';
  const words = !r
    ? null
    : schedule
      ? `Queued at ${at}: the sweep fires this occurrence now under the ${schedule.concurrency} policy; the run, or the reason it was skipped, appears in the history below.`
      : `${r.alreadyQueued ? 'A sweep was already queued; it runs' : 'Sweep queued at ' + at + ': it runs'} as soon as the worker is free, and the runs it starts or skips appear below.`;
  return (
    <div className={styles.evaluate}>
      <Button
        size={schedule ? 'small' : 'normal'}
        busy={evaluate.isPending}
        busyLabel="Queuing…"
        aria-label={schedule ? `Run the schedule of ${schedule.name} now` : undefined}
        onClick={() => evaluate.mutate(schedule ? { scheduleId: schedule.id } : {})}
      >
        {schedule ? 'Run now' : 'Evaluate schedules now'}
      </Button>
      {/* Always in the page, so that the words are announced when they arrive. */}
      <p role="status" className={styles.small}>
        {words}
      </p>
      <ErrorText error={evaluate.error} />
    </div>
  );
}
