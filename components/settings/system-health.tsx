'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import { Badge, type Tone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import styles from './settings.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

/** Heartbeats age while the page is open; health is re-read on this cadence. */
const HEALTH_REFRESH_MS = 10_000;

const STATUS: Record<'ok' | 'degraded' | 'down', { tone: Tone; text: string }> = {
  ok: { tone: 'success', text: 'healthy' },
  degraded: { tone: 'warning', text: 'degraded' },
  down: { tone: 'danger', text: 'down' },
};

export function SystemHealth() {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const health = useQuery(trpc.system.health.queryOptions(undefined, { refetchInterval: HEALTH_REFRESH_MS, staleTime: 0 }));
  if (health.isPending) return <Loading what="system health" />;
  if (health.isError) return <ErrorText error={health.error} action={<Button size="small" onClick={() => void health.refetch()}>Try again</Button>} />;
  const h = health.data;
  const status = STATUS[h.status];
  return (
    <dl className={styles.facts} aria-label="System health">
      <dt>Status</dt>
      <dd>
        <Badge tone={status.tone}>{status.text}</Badge>
      </dd>
      <dt>Database</dt>
      <dd>{h.database.ok ? `reachable (${h.database.latencyMs ?? '?'} ms)` : `unreachable: ${h.database.error ?? 'no answer'}`}</dd>
      <dt>Worker heartbeat</dt>
      <dd>
        {h.worker.ok
          ? `${h.worker.alive} worker${h.worker.alive === 1 ? '' : 's'} alive, last beat ${h.worker.lastBeatAt ? formatTime(h.worker.lastBeatAt, zone) : '—'}`
          : `no live worker: ${h.worker.error ?? 'unknown'}`}
      </dd>
      <dt>Telemetry loop</dt>
      <dd>
        {h.telemetry.ok
          ? `ticking over ${h.telemetry.instances} instances, last tick took ${h.telemetry.lastTickMs ?? '?'} ms (leader ${h.telemetry.leader ?? '?'})`
          : `not ticking: ${h.telemetry.error ?? 'unknown'}`}
      </dd>
      <dt>Platform adapter</dt>
      <dd>
        {h.adapter === null
          ? 'not reported yet'
          : h.adapter.ok
            ? `reachable (${h.adapter.kind ?? '?'}) since ${h.adapter.since ? formatTime(h.adapter.since, zone) : '—'}`
            : `unreachable: ${h.adapter.error ?? 'no answer'}`}
      </dd>
      <dt>Skipped ticks</dt>
      <dd>
        {h.telemetry.skippedTicks === 0 ? (
          'none'
        ) : (
          <Badge tone="warning">{`${h.telemetry.skippedTicks} skipped (the loop ran late and skipped slots instead of piling up)`}</Badge>
        )}
      </dd>
      <dt>Version</dt>
      <dd>Switchback {h.version}</dd>
    </dl>
  );
}
