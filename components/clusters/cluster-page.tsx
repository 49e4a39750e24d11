'use client';

// A cluster: where it sits, its instances with their newest sample, its machines (links into the
// fleet view filtered to it) and its events on the timeline strip.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { TimelineStrip } from '@/components/timeline/timeline-strip';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import { useTickRefresh } from '@/components/ui/use-tick-refresh';
import { adminTone, breakerTone, degradationTone, fmtDegradation, fmtWeight } from '@/components/telemetry/format';
import styles from '@/components/instances/instances.module.css';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';

const WINDOW_MS = 15 * 60_000;

export function ClusterPage({ name }: { name: string }) {
  const trpc = useTRPC();
  const onTicks = useTickRefresh([trpc.topology.cluster.pathKey()]);
  const q = useQuery(trpc.topology.cluster.queryOptions({ name }, { refetchInterval: onTicks ? false : 2000, placeholderData: (prev) => prev }));
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);
  if (q.isPending) return <Loading what={`cluster ${name}`} />;
  if (q.isError) return <ErrorText error={q.error} />;
  const c = q.data;
  const degraded = c.instances.filter((i) => (i.degradation ?? 0) > 0).length;
  const open = c.instances.filter((i) => i.breaker === 'open' || i.breaker === 'half-open').length;
  const blocked = c.instances.reduce((n, i) => n + (i.blockedStages ?? 0), 0);
  return (
    <>
      <header className={styles.header}>
        <Breadcrumbs items={[{ label: 'Topology', href: '/topology' }, { label: c.region.name }, { label: c.zone.name }, { label: c.name }]} />
        <h1 className={styles.title}>{c.name}</h1>
        <ul className={styles.meta} aria-label="Cluster facts">
          <li>
            <strong>{c.instances.length}</strong> instances
          </li>
          <li>
            <Badge tone={degraded ? 'warning' : 'success'}>{degraded} degraded</Badge>
          </li>
          <li>
            <Badge tone={open ? 'danger' : 'success'}>{open} breakers not closed</Badge>
          </li>
          <li>
            <Badge tone={blocked ? 'danger' : 'success'}>{blocked} stages blocked</Badge>
          </li>
          <li>
            State machines: <Link href={`/machines?machine=degradation&cluster=${encodeURIComponent(c.name)}`}>ladder</Link> · <Link href={`/machines?machine=stage&cluster=${encodeURIComponent(c.name)}`}>stages</Link> ·{' '}
            <Link href={`/machines?machine=breaker&cluster=${encodeURIComponent(c.name)}`}>breakers</Link>
          </li>
        </ul>
      </header>
      <h2>Events, last 15 min</h2>
      <TimelineStrip from={now - WINDOW_MS} to={now} clusterId={c.id} kinds={['policy', 'breaker', 'degradation', 'stage', 'weight']} compact refreshMs={5000} />
      <h2>Instances</h2>
      {c.instances.length === 0 ? (
        <EmptyState title="No instances here">Instances appear when the registry places a service in this cluster.</EmptyState>
      ) : (
        <Table label="Instances of the cluster">
          <thead>
            <tr>
              <th scope="col">Instance</th>
              <th scope="col">Service</th>
              <th scope="col">Version</th>
              <th scope="col">Admin</th>
              <th scope="col">Effective weight</th>
              <th scope="col">Degradation</th>
              <th scope="col">Breaker</th>
              <th scope="col">Blocked stages</th>
            </tr>
          </thead>
          <tbody>
            {c.instances.map((i) => (
              <tr key={i.name}>
                <td>
                  <Link href={`/instances/${encodeURIComponent(i.name)}`}>{i.name}</Link>
                  {i.up === false ? (
                    <>
                      {' '}
                      <Badge tone="danger">unreachable</Badge>
                    </>
                  ) : null}
                </td>
                <td>
                  <Link href={`/services/${encodeURIComponent(i.service)}`}>{i.service}</Link>
                </td>
                <td>{i.version}</td>
                <td>
                  <Badge tone={adminTone(i.adminState)}>{i.adminState}</Badge>
                </td>
                <td>{fmtWeight(i.effectiveWeight)}</td>
                <td>
                  <Badge tone={degradationTone(i.degradation)}>{fmtDegradation(i.degradation)}</Badge>
                </td>
                <td>
                  <Badge tone={breakerTone(i.breaker)}>{i.breaker ?? '—'}</Badge>
                </td>
                <td>{i.blockedStages ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
