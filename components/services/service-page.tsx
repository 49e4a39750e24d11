'use client';

import { skipToken, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { errorCode } from '@/components/trpc/errors';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryStatus, useQueryDisplay } from '@/components/ui/query-state';
import { LiveStatus } from '@/components/telemetry/live-status';
import { RangePicker } from '@/components/telemetry/range-picker';
import { TimelineStrip } from '@/components/timeline/timeline-strip';
import { LIVE_WINDOW_S, rangeFromParams, rangeInputOf } from '@/components/telemetry/time-range';
import tstyles from '@/components/telemetry/telemetry.module.css';
import { InstancesTable } from './instances-table';
import { RoutingPanel } from './routing-panel';
import { ServiceRollouts } from '@/components/rollouts/service-rollouts';
import { SplitCharts } from './split-charts';
import { useServiceLive } from './use-service-live';
import styles from './services.module.css';

export function ServicePage({ name }: { name: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const range = useMemo(() => rangeFromParams(params), [params]);
  const live = range.kind === 'live';

  const detail = useQuery(trpc.telemetry.service.queryOptions({ name }, { refetchOnMount: 'always', refetchInterval: 60_000 }));
  const serviceId = detail.data?.service.id;
  const series = useQuery(
    trpc.telemetry.serviceSeries.queryOptions(serviceId ? { serviceId, range: rangeInputOf(range) } : skipToken, {
      staleTime: live ? Infinity : 30_000,
      refetchOnMount: live ? 'always' : true,
      refetchInterval: range.kind === 'last' ? 60_000 : false,
      placeholderData: (prev) => (prev && prev.serviceId === serviceId ? prev : undefined),
    }),
  );
  const [startAfter, setStartAfter] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (startAfter === undefined && detail.data) setStartAfter(detail.data.lastTickId);
  }, [detail.data, startAfter]);
  const sub = useServiceLive(name, serviceId, startAfter, live ? series.data : undefined);
  // Failing reads keep their error on screen between retries (query-state.tsx).
  const detailView = useQueryDisplay(detail);
  const seriesView = useQueryDisplay(series);

  if (detailView.shown.kind === 'error' && errorCode(detailView.shown.error) === 'NOT_FOUND') {
    return (
      <>
        <h1>{name}</h1>
        <EmptyState title="No service by this name" action={<Link href="/services">All services</Link>}>
          It may have been renamed or removed; the services list has the current names.
        </EmptyState>
      </>
    );
  }
  if (detailView.shown.kind !== 'data') return <QueryStatus state={detailView} what={`service ${name}`} />;
  const d = detailView.shown.data;
  const s = series.data;
  const domain: [number, number] = s ? (live ? [s.to - LIVE_WINDOW_S * 1000, s.to] : [s.from, s.to]) : [Date.now() - LIVE_WINDOW_S * 1000, Date.now()];
  const newest = d.instances.reduce<number | null>((m, r) => (r.at !== null && (m === null || r.at > m) ? r.at : m), null);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Services', href: '/services' }, { label: d.service.name }]} />
      <h1 className={styles.title}>{d.service.name}</h1>
      {d.service.description ? <p className={`lead ${styles.description}`}>{d.service.description}</p> : null}
      <div className={tstyles.toolbar}>
        <RangePicker range={range} />
        <LiveStatus status={sub.status} lastAt={newest} history={!live} />
      </div>
      <RoutingPanel d={d} series={s} />
      <ServiceRollouts service={d.service.name} />
      <section aria-labelledby="split-heading">
        <h2 id="split-heading">Traffic split</h2>
        {serviceId ? <QueryStatus state={seriesView} what="the traffic split" /> : null}
        {s ? <SplitCharts series={s} domain={domain} relative={range.kind !== 'custom'} /> : null}
      </section>
      {serviceId ? <TimelineStrip from={domain[0]} to={domain[1]} serviceId={serviceId} compact refreshMs={live ? 5000 : undefined} /> : null}
      <InstancesTable d={d} />
    </>
  );
}
