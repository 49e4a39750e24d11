'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import styles from './shell.module.css';
import { bannerText } from './banner-text';
import { useDisplayZone } from '@/components/ui/display-zone';

const POLL_MS = 5_000;

/**
 * One line under the navigation when the platform cannot be steered: the worker is down, the
 * active adapter is unreachable (in its own words) or no tick committed lately. Silent while all
 * is well.
 */
export function PlatformBanner() {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const health = useQuery(trpc.system.health.queryOptions(undefined, { refetchInterval: POLL_MS, staleTime: 0 }));
  const text = bannerText(health.data, zone);
  if (!text) return null;
  return (
    <div role="alert" className={styles.banner}>
      {text} <Link href="/settings">Settings</Link>
    </div>
  );
}
