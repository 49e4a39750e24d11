'use client';

import Link from 'next/link';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { RUN_STATE_LABELS } from '@/server/domain/experiments/machine';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useDisplayZone } from '@/components/ui/display-zone';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { formatDateTime } from '@/components/ui/format-time';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import { useUrlPatch } from '@/components/ui/use-url-patch';
import { useExperimentList, useSchedules } from './api';
import type { ScheduleRow } from './contract';
import { ScheduleForm } from './schedule-form';
import { EvaluateNowButton } from './schedule-evaluate';
import { CONCURRENCY_WORDS, cronWords, dueWords, historyLimitWords, scheduledRunWords } from './schedule-words';
import { ageText, runStateTone } from './words';
import styles from './experiments.module.css';

/**
 * Every schedule with its cron in words, policy, next runs and history (active runs, the last
 * finished ones, skipped ones with the reason). The experiment filter lives in the URL, shared
 * with the Runs tab; viewers read, operators add, edit, disable and remove.
 */
export function SchedulesTab({ now, canAuthor }: { now: number; canAuthor: boolean }) {
  const { params, go } = useUrlPatch();
  const experimentId = params.get('experiment') || undefined;
  const schedules = useSchedules(experimentId ? { experimentId } : {});
  const experiments = useExperimentList({});
  const [adding, setAdding] = useState(false);
  const fid = useId();
  const options = experiments.data?.experiments ?? [];
  return (
    <>
      <form className={styles.filters} role="search" aria-label="Filter schedules" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span id={`${fid}-exp`}>Experiment</span>
          <select aria-labelledby={`${fid}-exp`} value={experimentId ?? ''} onChange={(e) => go({ experiment: e.target.value || null })}>
            <option value="">All experiments</option>
            {options.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        {experimentId ? (
          <button type="button" className={styles.textButton} onClick={() => go({ experiment: null })}>
            Clear filter
          </button>
        ) : null}
        {canAuthor && !adding ? (
          <Button type="button" variant="primary" onClick={() => setAdding(true)}>
            New schedule…
          </Button>
        ) : null}
        {canAuthor ? <EvaluateNowButton /> : null}
      </form>
      {canAuthor && adding ? (
        <section className={styles.panel} aria-labelledby={`${fid}-new`}>
          <h2 id={`${fid}-new`}>New schedule</h2>
          <ScheduleForm mode={{ kind: 'create', experiments: options, experimentId: experimentId ?? null }} label="New schedule" onDone={() => setAdding(false)} />
        </section>
      ) : null}
      {schedules.isPending ? (
        <Loading what="schedules" />
      ) : schedules.isError ? (
        <ErrorText error={schedules.error} />
      ) : schedules.data.length === 0 ? (
        <EmptyState title={experimentId ? 'This experiment has no schedule' : 'No schedules yet'}>
          {canAuthor
            ? 'Choose “New schedule…”, pick an experiment, a cron expression (UTC) and a concurrency policy. Its next runs, its runs and any skipped run with the reason show here.'
            : 'An operator schedules experiments; each schedule’s next runs and history (with the reason a run was skipped) show here.'}
        </EmptyState>
      ) : (
        <ul className={styles.schedules} aria-label="Schedules">
          {schedules.data.map((s) => (
            <ScheduleCard key={s.id} s={s} now={now} canAuthor={canAuthor} />
          ))}
        </ul>
      )}
    </>
  );
}

function ScheduleCard({ s, now, canAuthor }: { s: ScheduleRow; now: number; canAuthor: boolean }) {
  const zone = useDisplayZone();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const name = s.experiment.name;
  const words = cronWords(s.cron);
  const history = s.recentRuns;
  return (
    <li className={styles.panel} aria-labelledby={`${id}-h`}>
      <div className={styles.header}>
        <h2 id={`${id}-h`}>
          <Link href={`/experiments/${s.experimentId}`}>{name}</Link>
        </h2>
        {s.enabled ? <Badge tone="info">enabled</Badge> : <Badge>disabled</Badge>}
        {s.experiment.archivedAt ? <Badge>experiment archived</Badge> : null}
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>Cron (UTC)</dt>
          <dd>
            <code>{s.cron}</code>
            {words ? <span className={styles.reason}>{words}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Concurrency</dt>
          <dd>{CONCURRENCY_WORDS[s.concurrency]}</dd>
        </div>
        <div>
          <dt>History</dt>
          <dd>{historyLimitWords(s.historyLimit)}</dd>
        </div>
        <div>
          <dt>Last fired</dt>
          <dd>{s.lastRunAt ? <span title={formatDateTime(s.lastRunAt, zone)}>{ageText(s.lastRunAt, now)} ago</span> : 'never'}</dd>
        </div>
      </dl>
      <div className={styles.twoCol}>
        <div>
          <h3>Next runs</h3>
          {s.upcoming.length ? (
            <ol className={styles.times} aria-label={`Next runs of ${name}`}>
              {s.upcoming.map((t) => {
                // The first may be past (nextRunAt, not yet swept): said as due, its time on hover.
                const due = dueWords(t, now);
                return (
                  <li key={String(t)}>
                    <time dateTime={new Date(t).toISOString()} title={due ? formatDateTime(t, zone) : undefined}>
                      {due ?? formatDateTime(t, zone)}
                    </time>
                    {due ? <span className={styles.reason}>fires at the next sweep</span> : null}
                  </li>
                );
              })}
            </ol>
          ) : (
            <p className="muted">{s.enabled ? 'This cron does not fire again.' : 'None: the schedule is disabled.'}</p>
          )}
        </div>
        <div>
          <h3>Active runs</h3>
          {s.activeRuns.length ? (
            <ul className={styles.times} aria-label={`Active runs of ${name}`}>
              {s.activeRuns.map((r) => (
                <li key={r.id}>
                  <Link href={`/experiments/runs/${r.id}`}>
                    {name} #{r.number}
                  </Link>{' '}
                  <Badge tone={runStateTone(r.state)}>{RUN_STATE_LABELS[r.state]}</Badge>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None running now.</p>
          )}
        </div>
      </div>
      <h3>History</h3>
      {history.length === 0 ? (
        <p className="muted">Nothing yet: the first run {s.enabled && s.upcoming[0] ? `is ${dueWords(s.upcoming[0], now) ?? `due at ${formatDateTime(s.upcoming[0], zone)}`}` : 'comes once the schedule is enabled'}.</p>
      ) : (
        <Table label={`History of ${name}`}>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">State</th>
              <th scope="col">What happened</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {history.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <Link href={`/experiments/runs/${r.id}`}>#{r.number}</Link>
                </th>
                <td>
                  <Badge tone={runStateTone(r.state)}>{RUN_STATE_LABELS[r.state]}</Badge>
                </td>
                <td className={styles.reasonCell}>{scheduledRunWords(r)}</td>
                <td className={styles.nowrap}>
                  <time dateTime={new Date(r.createdAt).toISOString()}>{formatDateTime(r.createdAt, zone)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {s.olderRuns > 0 ? (
        <p className={styles.small}>
          {s.olderRuns} older finished run{s.olderRuns === 1 ? ' is' : 's are'} kept beyond the history limit:{' '}
          <Link href={`/experiments?experiment=${s.experimentId}`}>all runs of {name}</Link>.
        </p>
      ) : null}
      {canAuthor ? editing ? <ScheduleForm mode={{ kind: 'edit', schedule: s }} label={`Edit the schedule of ${name}`} onDone={() => setEditing(false)} /> : <ScheduleActions s={s} now={now} onEdit={() => setEditing(true)} /> : null}
    </li>
  );
}

/** Edit, disable / enable and remove (after a confirmation) for operators. */
function ScheduleActions({ s, now, onEdit }: { s: ScheduleRow; now: number; onEdit: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.experiments.pathKey() });
  const toggle = useMutation(trpc.experiments.schedules.update.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.experiments.schedules.remove.mutationOptions({ onSuccess: () => (setConfirming(false), refresh()) }));
  const name = s.experiment.name;
  return (
    <>
      <div className={styles.actions}>
        <Button size="small" onClick={onEdit} aria-label={`Edit the schedule of ${name}`}>
          Edit
        </Button>
        <Button
          size="small"
          busy={toggle.isPending}
          busyLabel="Saving…"
          aria-label={`${s.enabled ? 'Disable' : 'Enable'} the schedule of ${name}`}
          onClick={() => toggle.mutate({ id: s.id, version: s.version, cron: s.cron, concurrency: s.concurrency, historyLimit: s.historyLimit, enabled: !s.enabled })}
        >
          {s.enabled ? 'Disable' : 'Enable'}
        </Button>
        {s.enabled && !s.experiment.archivedAt ? <EvaluateNowButton schedule={{ id: s.id, name, concurrency: s.concurrency, next: s.upcoming[0] ?? null, due: s.upcoming[0] ? dueWords(s.upcoming[0], now) : null }} /> : null}
        <Button size="small" variant="ghost" aria-label={`Remove the schedule of ${name}…`} onClick={() => setConfirming(true)}>
          Remove…
        </Button>
      </div>
      <ErrorText error={toggle.error} />
      <ConfirmDialog
        open={confirming}
        title="Remove this schedule?"
        confirmLabel="Remove schedule"
        busyLabel="Removing…"
        destructive
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate({ id: s.id, version: s.version })}
        onCancel={() => (setConfirming(false), remove.reset())}
      >
        <p>
          The schedule <code>{s.cron}</code> of “{name}” stops starting runs. Its runs stay, with their reports, in the Runs tab; a run in progress is not stopped.
        </p>
      </ConfirmDialog>
    </>
  );
}
