'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { STATE_LABELS, TERMINAL_STATES } from '@/server/domain/rollouts/machine';
import type { MarkerSpec } from '@/components/charts/time-series';
import { useSessionUser } from '@/components/shell/session-user';
import { useTRPC, useTRPCClient } from '@/components/trpc/client';
import { ExportManifestButton } from '@/components/manifests/export-dialog';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { useTickRefresh } from '@/components/ui/use-tick-refresh';
import type { ActionKind } from './actions';
import { AnalysisCharts } from './analysis-charts';
import { ApprovalsPanel } from './approvals-panel';
import type { HistoryPoint, RolloutDetail } from './contract';
import { EventsStrip } from './events-strip';
import { stepText } from './fleet-table';
import { RolloutActions } from './rollout-actions';
import { StepsList } from './steps-list';
import { WeightChart } from './weight-chart';
import { ageText, measuredNote, pct, stateText, stateTone, VERDICT_LABELS, verdictTone } from './words';
import styles from './rollouts.module.css';

/** One rollout: state and actions, steps, approvals, the weight and analysis charts, the timeline. */
export function RolloutPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const get = useQuery(trpc.rollouts.get.queryOptions({ id }));
  const history = useQuery(trpc.rollouts.history.queryOptions({ id }));
  const active = get.data ? !TERMINAL_STATES.has(get.data.state) && get.data.state !== 'pending' : false;
  // Measured shares and analysis evidence move every tick while the rollout runs, and just after
  // it ended until a tick after the end says where its traffic went.
  const settling = get.data ? awaitingFinalMeasure(get.data, Date.now()) : false;
  useTickRefresh(active || settling ? [trpc.rollouts.get.queryKey({ id }), trpc.rollouts.history.queryKey({ id })] : [], 4000);
  if (get.isPending) return <Loading what="the rollout" />;
  if (get.isError) return <ErrorText error={get.error} />;
  return <RolloutView r={get.data} history={history.data?.points ?? []} />;
}

function RolloutView({ r, history }: { r: RolloutDetail; history: HistoryPoint[] }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const router = useRouter();
  const me = useSessionUser();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.rollouts.pathKey() });

  const action = useMutation({
    mutationFn: ({ kind, reason }: { kind: ActionKind; reason: string | null }) => {
      const ref = { id: r.id, version: r.version };
      const why = reason ?? '';
      switch (kind) {
        case 'start':
          return client.rollouts.start.mutate(ref);
        case 'pause':
          return client.rollouts.pause.mutate(ref);
        case 'resume':
          return client.rollouts.resume.mutate(ref);
        case 'retry':
          return client.rollouts.retry.mutate(ref);
        case 'promote':
          return client.rollouts.promote.mutate(ref);
        case 'remove':
          return client.rollouts.remove.mutate(ref);
        case 'abort':
          return client.rollouts.abort.mutate({ ...ref, reason: why });
        case 'promoteFull':
          return client.rollouts.promoteFull.mutate({ ...ref, reason: why });
        case 'overrideGuard':
          return client.rollouts.overrideGuard.mutate({ ...ref, reason: why });
      }
    },
    onSuccess: (_d, v) => (v.kind === 'remove' ? router.push('/rollouts') : void refresh()),
    // A stale version (someone acted first): the refetch shows what is true now.
    onError: () => void refresh(),
  });
  const decide = useMutation(trpc.rollouts.decide.mutationOptions({ onSuccess: () => void refresh() }));

  const markers: MarkerSpec[] = useMemo(
    () =>
      r.events
        .filter((e) => e.kind === 'state' || e.kind === 'analysis' || e.kind === 'decision' || e.kind === 'override')
        .map((e) => ({ t: new Date(e.at).getTime(), label: e.summary, tone: e.toState === 'aborted' || e.toState === 'rolled_back' ? ('danger' as const) : e.kind === 'state' ? ('info' as const) : ('neutral' as const) })),
    [r.events],
  );
  const words = stateText(r);
  const background = r.analyses.filter((a) => a.stepIndex < 0);
  const stepAnalyses = r.analyses.filter((a) => a.stepIndex >= 0);

  return (
    <>
      <Breadcrumbs items={[{ label: 'Rollouts', href: '/rollouts' }, { label: r.name }]} />
      <div className={styles.header}>
        <h1>{r.name}</h1>
        <Badge tone={stateTone(r.state)}>{STATE_LABELS[r.state]}</Badge>
        {r.approval?.canDecide ? <Badge tone="warning">waiting for your approval</Badge> : null}
        <ExportManifestButton subject="rollout" id={r.id} />
      </div>
      <p role="status" aria-label="Rollout state">
        {words}
      </p>
      <dl className={styles.facts}>
        <Fact label="Service">
          <Link href={`/services/${encodeURIComponent(r.service.name)}`}>{r.service.name}</Link>
        </Fact>
        <Fact label="Versions">
          {r.stableVersion} → {r.canaryVersion}
        </Fact>
        <Fact label="Step">{stepText(r)}</Fact>
        <Fact label="Canary desired / measured">
          {pct(r.desiredCanaryPct)} / {pct(r.measuredCanaryPct)}
          {measuredNote(r, now) ? <span className={`muted ${styles.small}`}> ({measuredNote(r, now)})</span> : null}
        </Fact>
        <Fact label="Analysis">{r.verdict ? <Badge tone={verdictTone(r.verdict)}>{VERDICT_LABELS[r.verdict] ?? r.verdict}</Badge> : '—'}</Fact>
        <Fact label="Created by">{r.createdByName ?? '—'}</Fact>
        <Fact label="Started">{r.startedAt ? `${ageText(r.startedAt, now)} ago by ${r.startedByName ?? '—'}` : 'not started'}</Fact>
        <Fact label="Machine">
          <Link href={`/machines?machine=rollout&rollout=${r.id}`}>State diagram</Link>
        </Fact>
      </dl>
      <RolloutActions
        rollout={r}
        role={me.role}
        pending={action.isPending ? action.variables.kind : null}
        error={action.error}
        resetError={() => action.reset()}
        run={(kind, reason) => action.mutateAsync({ kind, reason })}
      />
      {r.state === 'pending' && me.role !== 'viewer' ? (
        <p>
          <Link href={`/rollouts/new?id=${r.id}`}>Edit the draft</Link>
        </p>
      ) : null}
      <WeightChart points={history} markers={markers} now={now} />
      <div className={styles.twoCol}>
        <section aria-labelledby="steps-heading">
          <h2 id="steps-heading">Steps</h2>
          <StepsList detail={r} liveHolds={r.guards} />
        </section>
        <div>
          <ApprovalsPanel detail={r} role={me.role} me={me.id} busy={decide.isPending} error={decide.error} decide={(requestId, decision, reason) => decide.mutate({ requestId, decision, reason })} />
          <section className={styles.panel} aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">Timeline</h2>
            <EventsStrip events={r.events} />
          </section>
        </div>
      </div>
      <h2>Analysis</h2>
      {r.analyses.length === 0 ? <p className="muted">No analysis has run yet{r.spec.backgroundAnalysis ? ': the background analysis starts with the first canary traffic' : ''}.</p> : null}
      {[...background, ...stepAnalyses].map((a) => (
        <AnalysisCharts key={a.id} run={a} now={now} />
      ))}
    </>
  );
}

/** Finished within the last two minutes, and no tick after its end measured yet. */
function awaitingFinalMeasure(r: Pick<RolloutDetail, 'finishedAt' | 'measuredAt'>, now: number): boolean {
  if (!r.finishedAt) return false;
  const end = new Date(r.finishedAt).getTime();
  return now - end < 120_000 && (!r.measuredAt || new Date(r.measuredAt).getTime() <= end);
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
