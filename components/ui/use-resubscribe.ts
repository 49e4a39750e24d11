'use client';

import { useEffect } from 'react';

const RETRY_AFTER_MS = 5_000;

/** Resubscribes a tRPC subscription a few seconds after it fails (server restart, network drop). */
export function useResubscribeOnError(sub: { status: string; reset: () => void }, afterMs = RETRY_AFTER_MS) {
  useEffect(() => {
    if (sub.status !== 'error') return;
    const t = setTimeout(() => sub.reset(), afterMs);
    return () => clearTimeout(t);
  }, [sub.status, sub, afterMs]);
}
