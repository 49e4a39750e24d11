'use client';

import { useEffect, useRef } from 'react';
import type { ExperimentSpec } from '@/server/domain/experiments/spec';
import { usePreviewMutation } from './api';

/**
 * The server's target preview of a valid spec (experiments.preview), asked again a moment after
 * the author stops changing the form; an answer for an older spec is never shown over a newer one
 * (as components/rollouts/use-preview.ts).
 */
export function useTargetPreview(spec: ExperimentSpec | null, enabled: boolean) {
  const preview = usePreviewMutation();
  const key = spec && enabled ? JSON.stringify(spec) : null;
  const latest = useRef<string | null>(null);
  const mutate = useRef(preview.mutate);
  mutate.current = preview.mutate;
  useEffect(() => {
    latest.current = key;
    if (!key) return;
    const t = setTimeout(() => mutate.current({ spec: JSON.parse(key) as ExperimentSpec }), 400);
    return () => clearTimeout(t);
  }, [key]);
  const fresh = preview.variables ? JSON.stringify(preview.variables.spec) === latest.current : false;
  return { data: fresh ? preview.data : undefined, pending: preview.isPending || (key !== null && !fresh), error: fresh ? preview.error : null, stale: !fresh && preview.data !== undefined ? preview.data : undefined };
}
