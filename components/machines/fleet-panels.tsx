'use client';

// The fleet side of a machine: states as buttons with their counts now (a click lists who is in
// that state, since when and why), and the same counts over the range as a stacked area.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { TimeSeries, type SeriesSpec } from '@/components/charts/time-series';
import { useTRPC } from '@/components/trpc/client';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import styles from './machines.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';
import { QueryError, useQueryDisplay } from '@/components/ui/query-state';

type Scope = { machine: 'stage' | 'degradation' | 'breaker' | 'rollout' | 'experiment'; from: number; to: number; stage?: 'access' | 'ratelimit' | 'routing' | 'state' | 'execution'; rollout?: string; run?: string; serviceId?: string; zoneId?: string; regionId?: string; clusterId?: string };

const COLOR: Record<string, string> = {
  idle: 'var(--chart-axis)',
  active: 'var(--chart-success)',
  blocked: 'var(--chart-danger)',
  L0: 'var(--chart-success)',
  L1: 'var(--chart-warning)',
  L2: 'var(--chart-danger)',
  L3: 'var(--chart-info)',
  closed: 'var(--chart-success)',
  open: 'var(--chart-danger)',
  'half-open': 'var(--chart-warning)',
  pending: 'var(--chart-axis)',
  progressing: 'var(--chart-info)',
  paused: 'var(--chart-warning)',
  promoting: 'var(--chart-info)',
  succeeded: 'var(--chart-success)',
  aborted: 'var(--chart-danger)',
  rolled_back: 'var(--chart-danger)',
  injecting: 'var(--chart-warning)',
  running: 'var(--chart-info)',
  recovering: 'var(--chart-warning)',
  completed: 'var(--chart-success)',
  failed: 'var(--chart-danger)',
  skipped: 'var(--chart-axis)',
};

const ago = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
};

export function StateButtons({ states, now, selected, onSelect }: { states: Array<{ id: string; label: string }>; now: Record<string, number>; selected: string | null; onSelect: (id: string | null) => void }) {
  return (
    <div role="group" aria-label="States now" className={styles.states}>
      {states.map((s) => {
        const n = now[s.id] ?? 0;
        return (
          <button key={s.id} type="button" className={styles.stateButton} aria-pressed={selected === s.id} onClick={() => onSelect(selected === s.id ? null : s.id)} style={{ ['--state' as string]: COLOR[s.id] ?? 'var(--chart-axis)' }}>
            {s.label} <strong>{n}</strong>
          </button>
        );
      })}
    </div>
  );
}

export function InStateTable({ scope, state, label }: { scope: Scope; state: string; label: string }) {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  // Refetched on each tick by the page (useTickRefresh); this slow poll is only a safety net.
  const q = useQuery(trpc.machines.inState.queryOptions({ ...scope, state }, { refetchInterval: 15_000, placeholderData: (prev) => prev }));
  const view = useQueryDisplay(q);
  const isRun = scope.machine === 'experiment';
  // Rollouts and runs are rows of their own, not instances: no zone column, a link to their page.
  const isRollout = scope.machine === 'rollout' || isRun;
  const what = scope.machine === 'stage' ? 'Stages' : isRun ? 'Experiment runs' : isRollout ? 'Rollouts' : 'Instances';
  return (
    <section aria-label={`In state ${label} now`}>
      <h3>
        {what} {label} now
      </h3>
      {view.shown.kind === 'loading' ? (
        <Loading what={`${what.toLowerCase()} in ${label}`} />
      ) : view.shown.kind === 'error' ? (
        <QueryError error={view.shown.error} state={view} />
      ) : view.shown.data.length === 0 ? (
        <p className="muted">None in this scope right now. Clear a filter, or pick another state.</p>
      ) : (
        <Table label={`${what} ${label} now`}>
          <thead>
            <tr>
              <th scope="col">{isRun ? 'Run' : isRollout ? 'Rollout' : 'Instance'}</th>
              {isRollout ? null : <th scope="col">Zone</th>}
              {isRun ? null : <th scope="col">Service</th>}
              {scope.machine === 'stage' ? <th scope="col">Stage</th> : null}
              <th scope="col">Since</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {view.shown.data.map((r) => (
              <tr key={r.runId ?? r.rolloutId ?? `${r.instance}/${r.stage}`}>
                <td>
                  {r.runId ? (
                    <Link href={`/experiments/runs/${encodeURIComponent(r.runId)}`}>{r.instance}</Link>
                  ) : r.rolloutId ? (
                    <Link href={`/rollouts/${encodeURIComponent(r.rolloutId)}`}>{r.instance}</Link>
                  ) : (
                    <Link href={r.since ? `/instances/${encodeURIComponent(r.instance)}?range=custom&from=${r.since - 120_000}&to=${Math.max(Date.now(), r.since + 120_000)}` : `/instances/${encodeURIComponent(r.instance)}`}>{r.instance}</Link>
                  )}
                </td>
                {isRollout ? null : <td>{r.zone}</td>}
                {isRun ? null : <td>{r.service}</td>}
                {scope.machine === 'stage' ? <td>{r.stage}</td> : null}
                <td>{r.since ? `${formatTime(r.since, zone)} (${ago(Date.now() - r.since)} ago)` : 'before the stored transitions'}</td>
                <td>
                  {r.cause ?? '—'}
                  {r.values && Object.keys(r.values).length ? <span className="muted"> ({Object.entries(r.values).map(([k, x]) => `${k} ${typeof x === 'number' ? Math.round(x * 100) / 100 : String(x)}`).join(', ')})</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

export function StateHistory({ scope, states }: { scope: Scope; states: Array<{ id: string; label: string }> }) {
  const trpc = useTRPC();
  // A database too busy to answer is asked less often (each failure is up to three 5 s reads), and
  // the user can ask at once with Try again.
  const q = useQuery(trpc.machines.history.queryOptions(scope, { refetchInterval: (query) => (query.state.status === 'error' ? 30_000 : 10_000), placeholderData: (prev) => prev }));
  // A refetch of a query with no data clears its error; the last one stays on screen (query-display.ts).
  const view = useQueryDisplay(q);
  const shown = view.shown;
  if (shown.kind === 'error') return <QueryError error={shown.error} state={view} />;
  if (shown.kind === 'loading' || !q.data) return <Loading what="the states over the range" />;
  const series: SeriesSpec[] = states.map((s) => ({ key: s.id, label: s.label, kind: 'area', stack: 'states', color: COLOR[s.id] }));
  const last = q.data.points.at(-1) as Record<string, number> | undefined;
  const unit = scope.machine === 'stage' ? 'stages' : 'instances';
  return (
    <TimeSeries
      title={`${scope.machine === 'stage' ? 'Stages' : 'Instances'} per state over the range`}
      summary={last ? `Newest bucket: ${states.map((s) => `${last[s.id] ?? 0} ${s.label}`).join(', ')}` : 'No samples in the range'}
      data={q.data.points.map((p) => Object.fromEntries(states.map((s) => [s.id, (p as Record<string, number>)[s.id] ?? 0]).concat([['t', p.t]])) as { t: number })}
      series={series}
      domain={[scope.from, scope.to]}
      format={(v) => String(Math.round(v * 10) / 10)}
      empty="No samples in this range and scope yet."
      gapMs={q.data.bucketMs * 2.5}
    >
      <span className="muted">
        Mean number of {unit} in each state per {ago(q.data.bucketMs)} bucket
        {q.data.resolutionS ? `, from the ${q.data.resolutionS / 60} min rollups (the newest bucket appears once it is complete)` : ''}.
      </span>
    </TimeSeries>
  );
}
