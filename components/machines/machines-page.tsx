'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { StateDiagram } from '@/components/flow/state-diagram';
import { useTRPC } from '@/components/trpc/client';
import { useUrlPatch } from '@/components/ui/use-url-patch';
import { useTickRefresh } from '@/components/ui/use-tick-refresh';
import { Button } from '@/components/ui/button';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import { InStateTable, StateButtons, StateHistory } from './fleet-panels';
import { knownState } from './known-state';
import styles from './machines.module.css';
import { ScopeFilters, useFleetScope, type FleetFilter } from './scope-filters';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

const MACHINES = [
  { id: 'degradation', label: 'Degradation ladder' },
  { id: 'stage', label: 'Stage' },
  { id: 'breaker', label: 'Circuit breaker' },
  { id: 'rollout', label: 'Canary rollout' },
  { id: 'experiment', label: 'Chaos experiment run' },
] as const;
const STAGES = ['access', 'ratelimit', 'routing', 'state', 'execution'] as const;
const SPANS = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 3600_000 },
  { label: '24 h', ms: 24 * 3600_000 },
];

/**
 * Everything in the URL: machine, instance or fleet filter, stage, range, selected edge. The
 * rollout machine counts rollouts, not instances: `?rollout=<id>` lights one rollout's state, and
 * of the fleet filters only the service applies. The chaos run machine counts runs: `?run=<id>`
 * lights one run's state, and no fleet filter applies (a run's targets may span zones).
 */
export function MachinesPage() {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const { params, go } = useUrlPatch();
  const machine = MACHINES.find((m) => m.id === params.get('machine'))?.id ?? 'degradation';
  const isRun = machine === 'experiment';
  const isRollout = machine === 'rollout';
  /** Machines of objects (rollouts, runs) rather than of instances: no instance, no samples. */
  const isObject = isRollout || isRun;
  const instance = isObject ? undefined : (params.get('instance') ?? undefined);
  const rollout = isRollout ? (params.get('rollout') ?? undefined) : undefined;
  const run = isRun ? (params.get('run') ?? undefined) : undefined;
  const one = rollout ?? run;
  const stage = STAGES.find((s) => s === params.get('stage'));
  const fleet = useFleetScope(params);
  const filter: FleetFilter = instance || one || isRun ? {} : isRollout ? (fleet.filter.serviceId ? { serviceId: fleet.filter.serviceId } : {}) : fleet.filter;
  const span = Number(params.get('span')) || SPANS[0]!.ms;
  const edge = params.get('edge');
  const to = Math.ceil(Date.now() / 5000) * 5000;
  const from = to - span;
  const scope = { machine, from, to, instance, rollout, run, stage, ...filter };
  // Lit live: refetched on each committed tick (SSE); polled only while that feed is down.
  const onTicks = useTickRefresh([trpc.machines.view.pathKey(), trpc.machines.inState.pathKey()]);
  const view = useQuery(trpc.machines.view.queryOptions(scope, { enabled: !!instance || !!one || isRun || fleet.ready, refetchInterval: onTicks ? false : 2000, placeholderData: (prev) => prev }));
  const [f, t] = edge ? edge.split('>') : [null, null];
  const rows = useQuery({ ...trpc.machines.transitions.queryOptions({ ...scope, fromState: f ?? '', toState: t ?? '' }), enabled: !!edge });
  const v = view.data;
  const { state, problem: stateProblem } = knownState(params.get('state'), MACHINES.find((m) => m.id === machine)!.label, v?.diagram.states);
  return (
    <>
      <div role="tablist" aria-label="Machine" className={styles.tabs}>
        {MACHINES.map((m) => (
          <button key={m.id} role="tab" type="button" aria-selected={m.id === machine} className={styles.tab} onClick={() => go({ machine: m.id, edge: null, state: null })}>
            {m.label}
          </button>
        ))}
      </div>
      <div className={styles.controls}>
        <span>
          {run ? (
            <>
              Run {v?.run ? <Link href={`/experiments/runs/${encodeURIComponent(run)}`}>{v.run.name}</Link> : '…'} <Button size="small" onClick={() => go({ run: null, edge: null })}>All runs</Button>
            </>
          ) : isRun ? (
            'All experiment runs'
          ) : rollout ? (
            <>
              Rollout {v?.rollout ? <Link href={`/rollouts/${encodeURIComponent(rollout)}`}>{v.rollout.name}</Link> : '…'} <Button size="small" onClick={() => go({ rollout: null, edge: null })}>All rollouts</Button>
            </>
          ) : isRollout ? (
            'All rollouts'
          ) : instance ? (
            <>
              Instance <Link href={`/instances/${encodeURIComponent(instance)}`}>{instance}</Link> <Button size="small" onClick={() => go({ instance: null, edge: null })}>Whole fleet</Button>
            </>
          ) : (
            'Whole fleet'
          )}
        </span>
        {!instance && !one && !isRun ? <ScopeFilters params={params} onChange={go} only={isRollout ? ['service'] : undefined} /> : null}
        {machine === 'stage' ? (
          <label>
            Stage{' '}
            <select value={stage ?? ''} onChange={(e) => go({ stage: e.target.value || null, edge: null, state: null })}>
              <option value="">All stages</option>
              {STAGES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        ) : null}
        <span role="group" aria-label="Range">
          {SPANS.map((s) => (
            <Button key={s.label} size="small" variant={span === s.ms ? 'primary' : 'secondary'} onClick={() => go({ span: String(s.ms) })}>
              {s.label}
            </Button>
          ))}
        </span>
      </div>
      {!instance && !isRun && fleet.unknown.length > 0 ? <ErrorText error={`Showing the whole fleet instead: ${fleet.unknown.join(', ')}. Pick one above.`} /> : null}
      {!instance && stateProblem ? <ErrorText error={stateProblem} /> : null}
      {view.isError ? (
        <ErrorText error={view.error} />
      ) : !v ? (
        <Loading what="the machine" />
      ) : (
        <>
          <h2>{v.diagram.title}</h2>
          <p className="muted">
            {isObject ? (
              one ? (
                v.current ? `Now: ${v.diagram.states.find((x) => x.id === v.current)?.label ?? v.current}.` : 'Not found.'
              ) : (
                `Now, over ${v.counted} ${isRun ? 'run' : 'rollout'}${v.counted === 1 ? '' : 's'}: ${v.diagram.states.map((x) => `${v.now[x.id] ?? 0} ${x.label.toLowerCase()}`).join(', ')}.`
              )
            ) : instance ? (v.current ? `Now: ${v.current}.` : machine === 'stage' ? 'Pick a stage to light its current state.' : 'No sample yet.') : `Now, over ${v.counted} instance${v.counted === 1 ? '' : 's'}${machine === 'stage' ? (stage ? ` (${stage} stage)` : ' (all stages)') : ''}: ${Object.entries(v.now).map(([s, n]) => `${n} ${s}`).join(', ')}.`}
          </p>
          <StateDiagram
            states={v.diagram.states.map((s) => ({ ...s, count: instance || one ? undefined : v.now[s.id] }))}
            // An edge back into its own state (a step done, a pause reason changed) has no arc in the
            // row layout; it is in the list below with its count.
            edges={v.diagram.edges.filter((e) => e.from !== e.to).map((e) => ({ id: e.id, from: e.from, to: e.to, label: `${e.short} · ${v.fired[e.id] ?? 0}×` }))}
            current={v.current}
            selected={edge}
            onSelect={(id) => go({ edge: id })}
          />
          {!instance && !one ? <StateButtons states={v.diagram.states} now={v.now} selected={state} onSelect={(id) => go({ state: id })} /> : null}
          {!instance && !one && state ? <InStateTable scope={scope} state={state} label={v.diagram.states.find((s) => s.id === state)?.label ?? state} /> : null}
          {isObject ? null : <StateHistory scope={scope} states={v.diagram.states} />}
          <ul className={styles.edges} aria-label="Edges">
            {v.diagram.edges.map((e) => {
              const n = v.fired[e.id] ?? 0;
              return (
                <li key={e.id}>
                  <button type="button" className={styles.edge} aria-pressed={e.id === edge} onClick={() => go({ edge: e.id })} aria-label={`Edge ${e.from} → ${e.to}: ${e.trigger}, fired ${n} time${n === 1 ? '' : 's'}`}>
                    <strong>{e.from} → {e.to}</strong> <span>{e.trigger}</span> <span className={styles.count}>{n}×</span>
                  </button>
                </li>
              );
            })}
          </ul>
          {edge ? (
            <section aria-label="Transitions of the selected edge">
              <h3>{edge.replace('>', ' → ')} in the last {SPANS.find((s) => s.ms === span)?.label ?? 'range'}</h3>
              {rows.isPending ? (
                <Loading what="transitions" />
              ) : rows.isError ? (
                <ErrorText error={rows.error} />
              ) : rows.data.length === 0 ? (
                <p className="muted">This edge did not fire in this range and scope. Widen the range or clear the filters.</p>
              ) : (
                <Table label="Transitions">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">{isRun ? 'Run' : isRollout ? 'Rollout' : 'Instance'}</th>
                      {isObject ? null : <th scope="col">Stage</th>}
                      <th scope="col">Cause</th>
                      {isObject ? null : <th scope="col">Measured</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.data.map((r) => (
                      <tr key={r.id}>
                        <td>{r.runId ? <Link href={`/experiments/runs/${encodeURIComponent(r.runId)}`}>{formatTime(r.at, zone)}</Link> : r.rolloutId ? <Link href={`/rollouts/${encodeURIComponent(r.rolloutId)}`}>{formatTime(r.at, zone)}</Link> : isObject ? formatTime(r.at, zone) : <Link href={`/instances/${encodeURIComponent(r.instance)}?range=custom&from=${r.at - 120_000}&to=${r.at + 120_000}`}>{formatTime(r.at, zone)}</Link>}</td>
                        <td>{r.instance}</td>
                        {isObject ? null : <td>{r.stage || '—'}</td>}
                        <td>{r.cause}</td>
                        {isObject ? null : <td>{Object.entries(r.values ?? {}).map(([k, x]) => `${k} ${typeof x === 'number' ? Math.round(x * 100) / 100 : String(x)}`).join(', ')}</td>}
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </section>
          ) : null}
        </>
      )}
    </>
  );
}
