'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useDisplayZone } from '@/components/ui/display-zone';
import { ErrorText } from '@/components/ui/error-text';
import { formatDateTime } from '@/components/ui/format-time';
import styles from './experiments.module.css';

/**
 * Asks the worker to run the schedules sweep now instead of at the next minute; with a schedule,
 * its next occurrence is brought forward to now (under its concurrency policy). The result says
 * what was queued; the list refreshes from the live feed as the sweep records runs. Running one
 * schedule now starts a chaos experiment ahead of its time: it is confirmed first, saying when it
 * would have run (or that it is due already and not yet swept).
 */
export function EvaluateNowButton({ schedule }: { schedule?: { id: string; name: string; concurrency: string; next: Date | string | null; due?: string | null } }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const zone = useDisplayZone();
  const [confirming, setConfirming] = useState(false);
  const evaluate = useMutation(
    trpc.experiments.schedules.evaluateNow.mutationOptions({
      onSuccess: () => setConfirming(false),
      onSettled: () => void qc.invalidateQueries({ queryKey: trpc.experiments.pathKey() }),
    }),
  );
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
        busy={!schedule && evaluate.isPending}
        busyLabel="Queuing…"
        aria-label={schedule ? `Run the schedule of ${schedule.name} now…` : undefined}
        onClick={() => (schedule ? (evaluate.reset(), setConfirming(true)) : evaluate.mutate({}))}
      >
        {schedule ? 'Run now…' : 'Evaluate schedules now'}
      </Button>
      {schedule ? (
        <ConfirmDialog
          open={confirming}
          title={`Run ${schedule.name} now?`}
          confirmLabel="Run now"
          busyLabel="Queuing…"
          destructive
          busy={evaluate.isPending}
          error={evaluate.error}
          onCancel={() => setConfirming(false)}
          onConfirm={() => evaluate.mutate({ scheduleId: schedule.id })}
        >
          <p>
            The experiment starts now and injects its faults on its targets
            {schedule.next ? `, instead of at its next occurrence (${formatDateTime(schedule.next, zone)}${schedule.due ? `, ${schedule.due}` : ''})` : ''}, under the {schedule.concurrency} policy. Every
            fault carries its expiry; guards and freeze windows still apply, and a refused run is recorded with the reason.
          </p>
        </ConfirmDialog>
      ) : null}
      {/* Always in the page, so that the words are announced when they arrive. */}
      <p role="status" className={styles.small}>
        {words}
      </p>
      {schedule ? null : <ErrorText error={evaluate.error} />}
    </div>
  );
}
