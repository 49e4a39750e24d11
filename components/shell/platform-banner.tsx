'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import styles from './shell.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

const POLL_MS = 5_000;

/**
 * One line under the navigation when the platform cannot be steered: the active adapter is
 * unreachable (in its own words) or no tick committed lately. Silent while all is well.
 */
export function PlatformBanner() {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const health = useQuery(trpc.system.health.queryOptions(undefined, { refetchInterval: POLL_MS, staleTime: 0 }));
  const h = health.data;
  if (!h || !h.database.ok) return null;
  let text: string | null = null;
  if (h.adapter && !h.adapter.ok) {
    const since = h.adapter.since ? ` since ${formatTime(h.adapter.since, zone)}` : '';
    text = `Platform adapter${h.adapter.kind ? ` (${h.adapter.kind})` : ''} unreachable${since}: ${h.adapter.error ?? 'no answer'}. Weights and routing are not being applied; the loop retries every tick.`;
  } else if (h.worker.ok && !h.telemetry.ok) {
    text = `The telemetry loop is not ticking: ${h.telemetry.error ?? 'unknown'}.`;
  }
  if (!text) return null;
  return (
    <div role="alert" className={styles.banner}>
      {text} <Link href="/settings">Settings</Link>
    </div>
  );
}
