'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '@/components/trpc/client';
import type { RolloutSpec } from '@/server/domain/rollouts/spec';

/**
 * The server's preview of a valid spec (rollouts.preview), refreshed a moment after the author
 * stops typing; a stale answer (for an older spec) is never shown over a newer one.
 */
export function usePreview(spec: RolloutSpec | null, enabled: boolean) {
  const trpc = useTRPC();
  const preview = useMutation(trpc.rollouts.preview.mutationOptions());
  const key = spec && enabled ? JSON.stringify(spec) : null;
  const latest = useRef<string | null>(null);
  const mutate = useRef(preview.mutate);
  mutate.current = preview.mutate;
  useEffect(() => {
    latest.current = key;
    if (!key) return;
    const t = setTimeout(() => mutate.current({ spec: JSON.parse(key) as RolloutSpec }), 500);
    return () => clearTimeout(t);
  }, [key]);
  const fresh = preview.variables ? JSON.stringify(preview.variables.spec) === latest.current : false;
  return { data: fresh ? preview.data : undefined, pending: preview.isPending || (key !== null && !fresh), error: fresh ? preview.error : null, stale: !fresh && preview.data !== undefined };
}
