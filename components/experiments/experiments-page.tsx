'use client';

import Link from 'next/link';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { IN_FLIGHT_RUN_STATES, IN_FLIGHT_RUNS, RUN_STATES, RUN_STATE_LABELS, type RunState } from '@/server/domain/experiments/machine';
import { useSessionUser } from '@/components/shell/session-user';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { Num, NumHead, Table } from '@/components/ui/table';
import { useUrlPatch } from '@/components/ui/use-url-patch';
import { atLeast } from '@/components/rollouts/actions';
import { ImportManifestButton } from '@/components/manifests/import-dialog';
import { useTickRefresh } from '@/components/ui/use-tick-refresh';
import { useExperimentKeys, useExperimentList, useRunList, useTemplates } from './api';
import { SchedulesTab } from './schedules-tab';
import { recoveryVerdict } from './report-text';
import { ageText, FAULT_LABELS, faultText, runStateText, runStateTone, specSummary } from './words';
import styles from './experiments.module.css';

const TABS = [
  { key: 'runs', label: 'Runs' },
  { key: 'experiments', label: 'Experiments' },
  { key: 'templates', label: 'Templates' },
  { key: 'schedules', label: 'Schedules' },
] as const;
type TabKey = (typeof TABS)[number]['key'];
const isTab = (v: string | null): v is TabKey => TABS.some((t) => t.key === v);
const isState = (v: string | null): v is RunState | typeof IN_FLIGHT_RUNS => v !== null && (v === IN_FLIGHT_RUNS || (RUN_STATES as readonly string[]).includes(v));
const IN_FLIGHT_LABEL = `In flight (${IN_FLIGHT_RUN_STATES.map((s) => RUN_STATE_LABELS[s].toLowerCase()).join(', ')})`;

/** Runs, experiments, templates and schedules; the tab and the filters live in the URL. */
export function ExperimentsPage() {
  const me = useSessionUser();
  const { params, go } = useUrlPatch();
  const tabParam = params.get('tab');
  const tab: TabKey = isTab(tabParam) ? tabParam : 'runs';
  const canAuthor = atLeast(me.role, 'operator');
  // Run states move with the controller's ticks; the live feed (experiment.changed) refetches too.
  const keys = useExperimentKeys();
  useTickRefresh([keys.runs], 5000);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  const select = (k: TabKey) => go({ tab: k === 'runs' ? null : k });
  const onKey = (e: KeyboardEvent, i: number) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    select(next.key);
    document.getElementById(`exp-tab-${next.key}`)?.focus();
  };
  return (
    <>
      <div className={styles.toolbar}>
        <h1>Experiments</h1>
        {canAuthor ? (
          <>
            <Link href="/experiments/new" className={styles.linkButton}>
              New experiment
            </Link>
            <ImportManifestButton subject="experiment" />
          </>
        ) : null}
      </div>
      <p className="lead">Chaos experiments with a blast-radius cap, abort conditions and guaranteed recovery: every fault has a lease and an expiry, and is removed when either lapses.</p>
      <div role="tablist" aria-label="Experiments views" className={styles.tabs}>
        {TABS.map((t, i) => (
          <button key={t.key} type="button" role="tab" id={`exp-tab-${t.key}`} aria-controls="exp-panel" aria-selected={tab === t.key} tabIndex={tab === t.key ? 0 : -1} className={styles.tab} onClick={() => select(t.key)} onKeyDown={(e) => onKey(e, i)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="exp-panel" aria-labelledby={`exp-tab-${tab}`}>
        {tab === 'runs' ? <RunsTab now={now} canAuthor={canAuthor} /> : tab === 'experiments' ? <ExperimentsTab now={now} canAuthor={canAuthor} /> : tab === 'templates' ? <TemplatesTab canAuthor={canAuthor} /> : <SchedulesTab now={now} canAuthor={canAuthor} />}
      </div>
    </>
  );
}

function RunsTab({ now, canAuthor }: { now: number; canAuthor: boolean }) {
  const { params, go } = useUrlPatch();
  const stateParam = params.get('state');
  const state = isState(stateParam) ? stateParam : undefined;
  const experimentId = params.get('experiment') || undefined;
  const page = Math.min(10_000, Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const list = useRunList({ ...(state ? { state } : {}), ...(experimentId ? { experimentId } : {}), page, pageSize: 25 });
  const runs = { ...list, data: list.data?.runs };
  const experiments = useExperimentList({});
  const fid = useId();
  const filtered = Boolean(state || experimentId);
  return (
    <>
      <form className={styles.filters} role="search" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span id={`${fid}-exp`}>Experiment</span>
          <select aria-labelledby={`${fid}-exp`} value={experimentId ?? ''} onChange={(e) => go({ experiment: e.target.value || null, page: null })}>
            <option value="">All experiments</option>
            {(experiments.data?.experiments ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span id={`${fid}-state`}>State</span>
          <select aria-labelledby={`${fid}-state`} value={state ?? ''} onChange={(e) => go({ state: e.target.value || null, page: null })}>
            <option value="">All states</option>
            <option value={IN_FLIGHT_RUNS}>{IN_FLIGHT_LABEL}</option>
            {RUN_STATES.map((s) => (
              <option key={s} value={s}>
                {RUN_STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        {filtered ? (
          <button type="button" className={styles.textButton} onClick={() => go({ state: null, experiment: null, page: null })}>
            Clear filters
          </button>
        ) : null}
      </form>
      {runs.isPending || !runs.data ? (
        runs.isError ? <ErrorText error={runs.error} /> : <Loading what="runs" />
      ) : runs.isError ? (
        <ErrorText error={runs.error} />
      ) : runs.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No run matches these filters">Clear a filter to see more.</EmptyState>
        ) : (
          <EmptyState title="No runs yet" action={canAuthor ? <Link href="/experiments/new?template=seed-jitter" className={styles.linkButton}>Start from the jitter template</Link> : undefined}>
            {canAuthor ? 'Author an experiment from a template, preview its targets within the blast radius, then start it. Its runs show here with their targets and verdict.' : 'An operator runs experiments; their runs show here.'}
          </EmptyState>
        )
      ) : (
        <Table label="Runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">State</th>
              <th scope="col">Fault</th>
              <NumHead scope="col">Targets</NumHead>
              <th scope="col">Recovery</th>
              <th scope="col">Trigger</th>
              <NumHead scope="col">Age</NumHead>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((r) => {
              const words = runStateText(r);
              return (
                <tr key={r.id}>
                  <th scope="row">
                    <Link href={`/experiments/runs/${r.id}`}>
                      {r.experimentName} #{r.number}
                    </Link>
                  </th>
                  <td>
                    <Badge tone={runStateTone(r.state)}>{RUN_STATE_LABELS[r.state]}</Badge>
                    {words !== RUN_STATE_LABELS[r.state] ? <span className={styles.reason}>{words.slice(RUN_STATE_LABELS[r.state].length + 3)}</span> : null}
                  </td>
                  <td className={styles.reasonCell}>{faultText(r.fault)}</td>
                  <Num>{r.targets}</Num>
                  <td>
                    <RecoveryBadge states={r.targetStates} state={r.state} />
                  </td>
                  <td>{r.trigger === 'schedule' ? 'schedule' : 'manual'}</td>
                  <Num>
                    <span title={new Date(r.createdAt).toISOString()}>{ageText(r.createdAt, now)}</span>
                  </Num>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      {list.data && list.data.total > list.data.pageSize ? (
        <nav className={styles.actions} aria-label="Pages of runs">
          <button type="button" className={styles.textButton} disabled={page <= 1} onClick={() => go({ page: page > 2 ? String(page - 1) : null })}>
            Newer
          </button>
          <span className="muted">
            Page {page} of {Math.ceil(list.data.total / list.data.pageSize)} ({list.data.total} runs)
          </span>
          <button type="button" className={styles.textButton} disabled={page * list.data.pageSize >= list.data.total} onClick={() => go({ page: String(page + 1) })}>
            Older
          </button>
        </nav>
      ) : null}
    </>
  );
}

/** Whether every fault of the run is gone: the "guaranteed recovery" verdict per run. */
function RecoveryBadge({ states, state }: { states: Record<string, number>; state: string }) {
  const v = recoveryVerdict(states, state);
  return v === 'recovered' ? <Badge tone="success">all recovered</Badge> : v === 'not-recovered' ? <Badge tone="danger">could not recover</Badge> : v === 'not-injected' ? <span className="muted">nothing injected</span> : <span className="muted">in progress</span>;
}

function ExperimentsTab({ now, canAuthor }: { now: number; canAuthor: boolean }) {
  const { params, go } = useUrlPatch();
  const q = params.get('q') ?? '';
  const archived = params.get('archived') === '1';
  const [text, setText] = useState(q);
  const goRef = useRef(go);
  goRef.current = go;
  useEffect(() => setText(q), [q]);
  // Typing filters after a short pause, so the URL does not change on every key.
  useEffect(() => {
    if (text === q) return;
    const t = setTimeout(() => goRef.current({ q: text.trim() ? text.trim() : null }), 300);
    return () => clearTimeout(t);
  }, [text, q]);
  const list = useExperimentList({ ...(q.trim() ? { text: q.trim().slice(0, 120) } : {}), archived: archived ? 'all' : 'active' });
  const rows = list.data?.experiments ?? [];
  const fid = useId();
  return (
    <>
      <form className={styles.filters} role="search" aria-label="Filter experiments" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span id={`${fid}-q`}>Text</span>
          <input aria-labelledby={`${fid}-q`} type="search" value={text} maxLength={120} placeholder="Name or description" onChange={(e) => setText(e.target.value)} />
        </label>
        <label className={styles.inlineCheck}>
          <input type="checkbox" checked={archived} onChange={(e) => go({ archived: e.target.checked ? '1' : null })} /> Show archived
        </label>
      </form>
      {list.isPending ? (
        <Loading what="experiments" />
      ) : list.isError ? (
        <ErrorText error={list.error} />
      ) : rows.length === 0 ? (
        <EmptyState title={q ? 'No experiment matches' : 'No experiments yet'} action={canAuthor && !q ? <Link href="/experiments/new?template=seed-jitter" className={styles.linkButton}>Start from the jitter template</Link> : undefined}>
          {q ? 'Change the text to see more.' : canAuthor ? 'Pick a template (the seed’s network jitter is first), narrow its targets until the preview fits the blast radius, and save it.' : 'An operator authors experiments; they show here.'}
        </EmptyState>
      ) : (
        <Table label="Experiments">
          <thead>
            <tr>
              <th scope="col">Experiment</th>
              <th scope="col">What it does</th>
              <th scope="col">Last run</th>
              <NumHead scope="col">Runs</NumHead>
              <NumHead scope="col">Schedules</NumHead>
              <th scope="col">Author</th>
              <NumHead scope="col">Updated</NumHead>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.id}>
                <th scope="row">
                  <Link href={`/experiments/${x.id}`}>{x.name}</Link>
                  {x.archivedAt ? (
                    <>
                      {' '}
                      <Badge>archived</Badge>
                    </>
                  ) : null}
                </th>
                <td className={styles.reasonCell}>
                  {FAULT_LABELS[x.faultKind]} on {x.services.length ? x.services.join(', ') : 'any service'}
                </td>
                <td>
                  {x.lastRun ? (
                    <Link href={`/experiments/runs/${x.lastRun.id}`}>
                      #{x.lastRun.number} <Badge tone={runStateTone(x.lastRun.state)}>{RUN_STATE_LABELS[x.lastRun.state]}</Badge>
                    </Link>
                  ) : (
                    <span className="muted">never run</span>
                  )}
                </td>
                <Num>{x.runs}</Num>
                <Num>{x.schedules}</Num>
                <td>{x.createdByName ?? '—'}</td>
                <Num>{ageText(x.updatedAt, now)}</Num>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}

function TemplatesTab({ canAuthor }: { canAuthor: boolean }) {
  const templates = useTemplates();
  if (templates.isPending) return <Loading what="templates" />;
  if (templates.isError) return <ErrorText error={templates.error} />;
  return (
    <ul className={styles.cards} aria-label="Templates">
      {templates.data.map((t) => (
        <li key={t.key} className={styles.card}>
          <h2>{t.title}</h2>
          <p>{t.summary}</p>
          <p className="muted">{specSummary(t.spec)}</p>
          {canAuthor ? (
            <Link href={`/experiments/new?template=${encodeURIComponent(t.key)}`} aria-label={`Use template: ${t.title}`}>
              Use this template
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
