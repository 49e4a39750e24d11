'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { STATE_LABELS } from '@/server/domain/rollouts/machine';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { stepText } from './fleet-table';
import { pct, stateText, stateTone } from './words';
import styles from './rollouts.module.css';

const SHOWN = 3;

/** The service's newest rollouts on its page: state in words, step, canary share, approvals waiting for the reader. */
export function ServiceRollouts({ service }: { service: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.rollouts.list.queryOptions({ service }));
  const rows = (list.data ?? []).slice(0, SHOWN);
  return (
    <section aria-labelledby="service-rollouts-heading">
      <h2 id="service-rollouts-heading">Rollouts</h2>
      {rows.length === 0 ? (
        <p className="muted">
          {list.isPending ? 'Loading rollouts…' : 'No rollout of this service yet.'} <Link href={`/rollouts/new?service=${encodeURIComponent(service)}`}>New rollout</Link>
        </p>
      ) : (
        <ul className={styles.serviceRollouts}>
          {rows.map((r) => (
            <li key={r.id}>
              <Link href={`/rollouts/${r.id}`}>{r.name}</Link> <Badge tone={stateTone(r.state)}>{STATE_LABELS[r.state]}</Badge>
              {r.approval?.canDecide ? (
                <>
                  {' '}
                  <Badge tone="warning">waiting for your approval</Badge>
                </>
              ) : null}{' '}
              <span className="muted">
                {stateText(r) !== STATE_LABELS[r.state] ? `${stateText(r).slice(STATE_LABELS[r.state].length + 2)} · ` : ''}
                {r.stableVersion} → {r.canaryVersion}, step {stepText(r)}, canary {pct(r.desiredCanaryPct)} desired / {pct(r.measuredCanaryPct)} measured
              </span>
            </li>
          ))}
          {(list.data?.length ?? 0) > SHOWN ? (
            <li>
              <Link href={`/rollouts?service=${encodeURIComponent(service)}`}>All {list.data?.length} rollouts of {service}</Link>
            </li>
          ) : null}
        </ul>
      )}
    </section>
  );
}
