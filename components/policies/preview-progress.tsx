'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import styles from './policies.module.css';

/**
 * A key for one preview's progress. crypto.randomUUID exists only in secure contexts, and the
 * console may be served over plain http on a LAN name: build a version-4 UUID from random bytes.
 */
export function newPreviewKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** While a preview runs: how many instances are replayed of how many, and the seconds so far. */
export function PreviewProgress({ progressKey }: { progressKey: string }) {
  const trpc = useTRPC();
  const progress = useQuery(trpc.policies.previewProgress.queryOptions({ key: progressKey }, { refetchInterval: 500, retry: false }));
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [progressKey]);
  const p = progress.data;
  const known = p !== null && p !== undefined && p.total > 0;
  const words = !known ? 'Reading the stored samples…' : p.done < p.total ? `Replayed ${count(p.done)} of ${count(p.total)} instances` : `Replayed all ${count(p.total)} instances; comparing with what happened…`;
  return (
    // Not a live region: the figures change twice a second; the button already says "Replaying…".
    <div className={styles.progress}>
      <progress max={known ? p.total : undefined} value={known ? p.done : undefined} aria-label="What-if preview progress" />
      <span>
        {words} · {seconds} s
      </span>
    </div>
  );
}
