'use client';

import { skipToken, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { errorCode } from '@/components/trpc/errors';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { LiveStatus } from '@/components/telemetry/live-status';
import { RangePicker } from '@/components/telemetry/range-picker';
import { TimelineStrip } from '@/components/timeline/timeline-strip';
import { LIVE_WINDOW_S, rangeFromParams, rangeInputOf } from '@/components/telemetry/time-range';
import tstyles from '@/components/telemetry/telemetry.module.css';
import { InstanceCharts } from './instance-charts';
import { InstanceHeader, WeightStatus } from './instance-header';
import { StagesPanel } from './stages-panel';
import { TransitionsList } from './transitions-list';
import { useInstanceLive } from './use-instance-live';
import { WeightExplanation } from './weight-explanation';
import styles from './instances.module.css';

export function InstancePage({ name }: { name: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const range = useMemo(() => rangeFromParams(params), [params]);
  const live = range.kind === 'live';

  const detail = useQuery(trpc.telemetry.instance.queryOptions({ name }, { refetchOnMount: 'always', refetchInterval: 60_000 }));
  const instanceId = detail.data?.instance.id;
  const series = useQuery(
    trpc.telemetry.instanceSeries.queryOptions(instanceId ? { instanceId, range: rangeInputOf(range) } : skipToken, {
      // The live series is kept current by the feed, never refetched under it; relative history ranges move every minute.
      staleTime: live ? Infinity : 30_000,
      refetchOnMount: live ? 'always' : true,
      refetchInterval: range.kind === 'last' ? 60_000 : false,
      placeholderData: (prev) => (prev && prev.instanceId === instanceId ? prev : undefined),
    }),
  );

  // The feed starts after the tick the page first loaded, so nothing falls between load and feed.
  const [startAfter, setStartAfter] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (startAfter === undefined && detail.data) setStartAfter(detail.data.latest?.tickId ?? null);
  }, [detail.data, startAfter]);
  const sub = useInstanceLive(name, instanceId, startAfter, live ? series.data : undefined);

  if (detail.isPending) return <Loading what={`instance ${name}`} />;
  if (detail.isError) {
    return errorCode(detail.error) === 'NOT_FOUND' ? (
      <>
        <h1>{name}</h1>
        <EmptyState title="No instance by this name" action={<Link href="/services">Browse services and their instances</Link>}>
          It may have been removed from the registry, or the link has a typo.
        </EmptyState>
      </>
    ) : (
      <ErrorText error={detail.error} action={<Button size="small" onClick={() => void detail.refetch()}>Try again</Button>} />
    );
  }

  const d = detail.data;
  const s = series.data;
  const domain: [number, number] = s ? (live ? [s.to - LIVE_WINDOW_S * 1000, s.to] : [s.from, s.to]) : [Date.now() - LIVE_WINDOW_S * 1000, Date.now()];
  const relative = range.kind !== 'custom';
  return (
    <>
      <InstanceHeader d={d} />
      <div className={tstyles.toolbar}>
        <RangePicker range={range} />
        <Link href={`/machines?instance=${encodeURIComponent(name)}`}>State machines</Link>
        <LiveStatus status={sub.status} lastAt={d.latest?.t ?? null} history={!live} />
      </div>
      <div className={styles.now}>
        <WeightStatus d={d} points={live ? (s?.points ?? []) : []} />
        <WeightExplanation d={d} />
      </div>
      {series.isError ? <ErrorText error={series.error} action={<Button size="small" onClick={() => void series.refetch()}>Try again</Button>} /> : null}
      {!s ? (
        series.isPending ? <Loading what="the weight history" /> : null
      ) : (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading" className={styles.sectionHead}>
            Weight and its inputs
            {series.isFetching && !live ? <span className={styles.refreshing}> · refreshing…</span> : null}
            <span className={styles.resolution}>{s.resolution === 'raw' ? (s.stepS > 1 ? `raw samples averaged per ${s.stepS} s` : 'every tick') : `${s.resolution / 60} min rollups`}</span>
          </h2>
          <InstanceCharts d={d} series={s} domain={domain} relative={relative} />
        </section>
      )}
      {s ? <StagesPanel d={d} series={s} domain={domain} relative={relative} /> : null}
      {instanceId ? <TimelineStrip from={domain[0]} to={domain[1]} instanceId={instanceId} kinds={['policy', 'breaker', 'degradation', 'stage', 'weight']} compact refreshMs={live ? 5000 : undefined} /> : null}
      {s ? <TransitionsList transitions={s.transitions} truncated={s.transitionsTruncated} /> : null}
    </>
  );
}
