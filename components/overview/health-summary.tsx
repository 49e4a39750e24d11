'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/components/trpc/client';
import { useDisplayZone } from '@/components/ui/display-zone';
import { ErrorText } from '@/components/ui/error-text';
import { formatTime } from '@/components/ui/format-time';
import { Loading } from '@/components/ui/spinner';
import { useTickRefresh } from '@/components/ui/use-tick-refresh';
import { healthSummary } from './health-words';
import styles from './overview.module.css';

/** What the on-call SRE reads first: one aggregate of the newest tick, refreshed at most every 5 s. */
export function HealthSummary() {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const onTicks = useTickRefresh([trpc.topology.health.pathKey()], 5000);
  const q = useQuery(trpc.topology.health.queryOptions(undefined, { refetchInterval: onTicks ? false : 10_000 }));
  if (q.isPending) return <Loading what="fleet health" />;
  if (q.isError) return <ErrorText error={q.error} />;
  const s = healthSummary(q.data);
  return (
    <>
      <p className={s.healthy ? styles.healthy : styles.unhealthy} data-healthy={s.healthy}>
        {s.headline}
        {q.data.at ? <span className={styles.counts}> Tick {formatTime(q.data.at, zone)}.</span> : null}
      </p>
      {s.lines.length ? (
        <ul className={styles.healthLines}>
          {s.lines.map((l) => (
            <li key={l.key} data-alert={l.alert}>
              <Link href={l.href}>{l.text}</Link>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
