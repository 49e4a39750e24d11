'use client';

import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import type { FaultSpecValue } from '@/server/domain/experiments/spec';
import { ACTIVE_RUN_STATES, RUN_STATE_LABELS, TERMINAL_RUN_STATES } from '@/server/domain/experiments/machine';
import { useSessionUser } from '@/components/shell/session-user';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { Loading, Spinner } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import { useTickRefresh } from '@/components/ui/use-tick-refresh';
import { atLeast } from '@/components/rollouts/actions';
import { useExperimentCommands, useExperimentKeys, useRun, useRunReport } from './api';
import type { ConditionValue, InjectionView, RunEventView, RunTarget, RunView as Run } from './contract';
import { REPORT_ANCHOR, RunReport } from './run-report';
import { TargetsHealth } from './targets-health';
import { ageText, conditionText, conditionValueText, durationText, faultText, runStateText, runStateTone, selectionText, targetsText } from './words';
import styles from './experiments.module.css';

/** One run: state and the abort button, live target health next to the faults, abort conditions, the timeline, then the report. */
export function RunPage({ id }: { id: string }) {
  const run = useRun(id);
  const keys = useExperimentKeys();
  const active = run.data ? ACTIVE_RUN_STATES.has(run.data.run.state) : false;
  // Target health, lease expiries and condition values move every tick while the run is active.
  useTickRefresh(active ? [keys.run(id)] : [], 2000);
  if (run.isPending) return <Loading what="the run" />;
  if (run.isError) return <ErrorText error={run.error} />;
  return <RunView v={run.data} />;
}

function RunView({ v }: { v: Run }) {
  const me = useSessionUser();
  const r = v.run;
  const spec = v.spec;
  const report = useRunReport(r.id, r.hasReport);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const terminal = TERMINAL_RUN_STATES.has(r.state);
  const words = runStateText(r);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Experiments', href: '/experiments' }, { label: r.experimentName, href: `/experiments/${r.experimentId}` }, { label: `Run #${r.number}` }]} />
      <div className={styles.header}>
        <h1>
          {r.experimentName} — run #{r.number}
        </h1>
        <Badge tone={runStateTone(r.state)}>{RUN_STATE_LABELS[r.state]}</Badge>
        {!terminal ? <Spinner label="The run is in progress" /> : null}
      </div>
      <p role="status" aria-label="Run state">
        {words}
      </p>
      <dl className={styles.facts}>
        <Fact label="Fault">{faultText(spec.fault)}</Fact>
        <Fact label="Targets">
          {selectionText(spec.selection)} of {targetsText(spec.targets)}
        </Fact>
        <Fact label="Duration">{durationText(spec.durationS)}</Fact>
        <Fact label="Cohort">{spec.cohort ? `${spec.cohort.header}: ${spec.cohort.value}` : 'all requests'}</Fact>
        <Fact label="Injected">{r.injectedAt ? `${ageText(r.injectedAt, now)} ago` : 'not yet'}</Fact>
        <Fact label="Fault ends">{r.faultsRemovedAt ? `removed ${ageText(r.faultsRemovedAt, now)} ago` : r.abortReason !== null || r.state === 'recovering' ? 'being removed' : r.runUntil ? remaining(r.runUntil, now) : '—'}</Fact>
        <Fact label="Experiment">
          <Link href={`/experiments/${r.experimentId}`}>version {r.experimentVersion}</Link>
        </Fact>
        <Fact label="Machine">
          <Link href={`/machines?machine=experiment-run&run=${r.id}`}>State diagram</Link>
        </Fact>
      </dl>
      {r.guardOverrideReason ? <p className={styles.small}>Guard overridden: {r.guardOverrideReason}</p> : null}
      {r.freezeOverrideReason ? <p className={styles.small}>Freeze window overridden: {r.freezeOverrideReason}</p> : null}
      {!terminal && atLeast(me.role, 'operator') ? <AbortControl run={r} /> : null}
      {report.data?.report ? (
        <RunReport
          report={report.data.report}
          runId={r.id}
          fileBase={`${r.experimentName.replace(/[^A-Za-z0-9_-]+/g, '-')}-run-${r.number}`}
        />
      ) : r.hasReport ? (
        report.isError ? <ErrorText error={report.error} /> : <Loading what="the report" />
      ) : r.state === 'recovering' ? (
        <p className="muted">
          <Spinner /> The faults are removed; the report is written when the observation window ({spec.observeS} s) ends.
        </p>
      ) : null}
      <section aria-labelledby="targets-heading">
        <h2 id="targets-heading">Target health</h2>
        <TargetsHealth targets={v.targets} />
      </section>
      <div className={styles.twoCol}>
        <section aria-labelledby="faults-heading">
          <h2 id="faults-heading">Injected faults</h2>
          <Injections rows={v.injections} targets={v.targets} now={now} />
        </section>
        <section aria-labelledby="conditions-heading">
          <h2 id="conditions-heading">Abort conditions</h2>
          <Conditions rows={v.conditions} live={!terminal} />
        </section>
      </div>
      <section className={styles.panel} aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <Timeline events={v.events} />
      </section>
    </>
  );
}

function remaining(until: string | Date, now: number): string {
  const s = Math.round((new Date(until).getTime() - now) / 1000);
  return s > 0 ? `in ${s} s` : 'now';
}

function AbortControl({ run }: { run: Run['run'] }) {
  const { abort } = useExperimentCommands();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const close = () => (setOpen(false), setReason(''), setTouched(false), abort.reset());
  const requested = run.abortReason !== null;
  return (
    <div className={styles.actions} role="group" aria-label="Run actions">
      <Button variant="danger" disabled={requested} onClick={() => (abort.reset(), setOpen(true))}>
        {requested ? 'Abort requested' : 'Abort run…'}
      </Button>
      {requested ? <span className="muted">The faults are being removed; the run ends once recovery is observed.</span> : null}
      <ConfirmDialog
        open={open}
        title={`Abort run #${run.number} of ${run.experimentName}`}
        confirmLabel="Abort run"
        busyLabel="Aborting…"
        destructive
        busy={abort.isPending}
        error={abort.error}
        onCancel={close}
        onConfirm={() => {
          setTouched(true);
          if (!reason.trim()) return;
          abort.mutate({ runId: run.id, version: run.version, reason: reason.trim() }, { onSuccess: close });
        }}
      >
        <p>Every fault of this run is removed now; the run watches the recovery and then writes its report.</p>
        <Field label="Reason" hint="Recorded on the timeline and in the audit" error={touched && !reason.trim() ? 'Give a reason' : undefined} maxLength={2000} length={reason.length}>
          {(c) => <textarea {...c} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </ConfirmDialog>
    </div>
  );
}

function Injections({ rows, targets, now }: { rows: InjectionView[]; targets: RunTarget[]; now: number }) {
  const nameOf = (i: InjectionView) => targets.find((t) => t.instanceId === i.instanceId)?.instanceName ?? i.backend ?? 'instance';
  if (rows.length === 0) return <p className="muted">No fault written yet.</p>;
  return (
    <Table label="Injected faults">
      <thead>
        <tr>
          <th scope="col">Instance</th>
          <th scope="col">Fault</th>
          <th scope="col">State</th>
          <th scope="col">Lease / expiry</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((i) => (
          <tr key={i.id}>
            <td>{nameOf(i)}</td>
            <td>{faultText(i.spec as FaultSpecValue)}</td>
            <td>
              {i.removedAt ? <Badge tone="success">removed</Badge> : i.injectedAt ? <Badge tone="warning">injected</Badge> : <Badge>{i.desired ? 'being injected' : 'being removed'}</Badge>}
              {i.removedAt && i.removeReason ? <span className={styles.reason}>{i.removeReason.replace(/_/g, ' ')}</span> : null}
              {i.lastError ? <span className={styles.reason}>{i.lastError}</span> : null}
            </td>
            <td className={styles.small}>
              {i.removedAt ? (
                `removed ${ageText(i.removedAt, now)} ago`
              ) : (
                <>
                  lease {i.leaseExpiresAt ? remaining(i.leaseExpiresAt, now) : '—'}
                  <br />
                  expires {i.expiresAt ? remaining(i.expiresAt, now) : '—'}
                  {i.platformExpiresAt ? (
                    <>
                      <br />
                      in the platform {remaining(i.platformExpiresAt, now)}
                    </>
                  ) : null}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function Conditions({ rows, live }: { rows: ConditionValue[]; live: boolean }) {
  if (rows.length === 0) return <p className="muted">This run has no abort condition: only its duration, a person or halt-all stop it.</p>;
  return (
    <Table label="Abort conditions">
      <thead>
        <tr>
          <th scope="col">Condition</th>
          <th scope="col">{live ? 'Now' : 'Last value'}</th>
          <th scope="col">Threshold</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c, i) => {
          const t = conditionValueText(c.condition, c.value);
          return (
            <tr key={i}>
              <td>{conditionText(c.condition)}</td>
              <td>{t.value}</td>
              <td>{t.threshold}</td>
              <td>{c.fired ? <Badge tone="danger">fired</Badge> : <Badge tone="success">holds</Badge>}</td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });

function Timeline({ events }: { events: RunEventView[] }) {
  if (events.length === 0) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className={styles.timeline} aria-label="Run timeline">
      {events.map((e) => (
        <li key={e.id}>
          <time dateTime={new Date(e.at).toISOString()}>{TIME.format(new Date(e.at))} UTC</time>
          <span>
            <Badge tone={e.kind === 'abort_condition' || e.kind === 'halt' ? 'danger' : e.kind === 'injected' ? 'warning' : e.kind === 'removed' ? 'success' : 'neutral'}>{e.kind.replace(/_/g, ' ')}</Badge>
          </span>
          <span>
            {e.kind === 'report' ? (
              // The browser focuses the (focusable) report on a same-page fragment link, even when the hash is already #report.
              <a href={`#${REPORT_ANCHOR}`}>{e.summary}</a>
            ) : (
              e.summary
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
