'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { RouterOutputs } from '@/components/trpc/client';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { ClampedText } from '@/components/ui/clamped-text';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryStatus, useQueryDisplay } from '@/components/ui/query-state';
import { fmtMs, fmtRatio, fmtRps, fmtWeight } from '@/components/telemetry/format';
import { formatCount, formatVersions } from '@/components/overview/format';
import { desiredShares, formatShares } from './split';
import styles from './services.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

type Row = RouterOutputs['telemetry']['services'][number];

/** Every service with what its newest tick says: traffic, errors, weights, and what needs a look. */
export function ServicesListPage() {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  // The aggregates come from the newest tick: a cheap query, refreshed every few seconds.
  const list = useQuery(trpc.telemetry.services.queryOptions(undefined, { refetchInterval: 5_000, staleTime: 0 }));
  // A failing list keeps its error on screen between the polls (query-state.tsx).
  const view = useQueryDisplay(list);
  const newest = list.data?.reduce<number | null>((m, s) => (s.live && (m === null || s.live.at > m) ? s.live.at : m), null) ?? null;
  return (
    <>
      <h1>Services</h1>
      <p className="lead">Each service with its traffic and weights from the newest tick. Open one for its traffic split, routing and instances.</p>
      <QueryStatus state={view} what="services" />
      {list.data && list.data.length === 0 ? (
        <EmptyState title="No services registered">
          Services appear here when the registry knows them. Start Switchback with the demo seed (SWITCHBACK_SEED=demo, the default) or register services through a platform adapter.
        </EmptyState>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <>
          <div className={styles.tableWrap}>
            <table className={styles.table} aria-label="Services">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Instances</th>
                  <th scope="col">Version split</th>
                  <th scope="col" className={styles.num}>Zones</th>
                  <th scope="col" className={styles.num}>Req/s</th>
                  <th scope="col" className={styles.num}>Errors</th>
                  <th scope="col" className={styles.num}>Max P95</th>
                  <th scope="col" className={styles.num}>Avg weight</th>
                  <th scope="col">Lowest weight</th>
                  <th scope="col" className={styles.issuesCell}>Needs a look</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((s) => (
                  <ServiceRow key={s.id} s={s} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">{newest ? `From the tick at ${formatTime(newest, zone)}; refreshed every 5 s.` : 'No telemetry yet: is a worker running? (Settings shows the telemetry loop.)'}</p>
        </>
      ) : null}
    </>
  );
}

function ServiceRow({ s }: { s: Row }) {
  const l = s.live;
  const issues: Array<{ text: string; tone: 'warning' | 'danger' }> = [];
  if (l?.down) issues.push({ text: `${l.down} unreachable`, tone: 'danger' });
  if (l?.breakersOpen) issues.push({ text: `${l.breakersOpen} breaker${l.breakersOpen === 1 ? '' : 's'} not closed`, tone: 'danger' });
  if (l?.degraded) issues.push({ text: `${l.degraded} degraded`, tone: 'warning' });
  return (
    <tr>
      <td className={styles.nameCell}>
        <Link href={`/services/${encodeURIComponent(s.name)}`}>{s.name}</Link>
        {s.description ? <ClampedText text={s.description} lines={2} className={styles.sub} /> : null}
      </td>
      <td>
        {formatCount(s.instances)}
        {/* On its own line: the table must fit 1440 px with the last column in view. */}
        <span className={styles.subLine}>{formatVersions(s.byVersion)}</span>
      </td>
      <td>{Object.keys(s.routing.versionWeights).length ? formatShares(desiredShares(s.routing.versionWeights)) : <span className="muted">single version</span>}</td>
      <td className={styles.num}>{formatCount(s.zones)}</td>
      <td className={styles.num}>{fmtRps(l?.rps)}</td>
      <td className={styles.num}>{fmtRatio(l?.errorRate)}</td>
      <td className={styles.num}>{fmtMs(l?.maxP95)}</td>
      <td className={styles.num}>{fmtWeight(l?.avgEffective)}</td>
      <td>
        {l?.lowest ? (
          <>
            <Link href={`/instances/${encodeURIComponent(l.lowest.name)}`}>{l.lowest.name}</Link> <span className={styles.numInline}>{fmtWeight(l.lowest.effective)}</span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td className={styles.issuesCell}>
        {issues.length ? (
          <span className={styles.issues}>
            {issues.map((i) => (
              <Badge key={i.text} tone={i.tone}>
                {i.text}
              </Badge>
            ))}
          </span>
        ) : l ? (
          <Badge tone="success">all normal</Badge>
        ) : (
          <span className="muted">no telemetry</span>
        )}
      </td>
    </tr>
  );
}
