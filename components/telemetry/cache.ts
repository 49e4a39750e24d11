import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Applies a pure merge to one cached query, writing only when it changed: a merge that returns the
 * same object (a replayed tick) leaves the cache, its timestamps and its observers alone.
 */
export function updateCached<T>(qc: QueryClient, key: QueryKey, merge: (old: T) => T): void {
  const old = qc.getQueryData<T>(key);
  if (old === undefined) return;
  const next = merge(old);
  if (next !== old) qc.setQueryData<T>(key, next);
}
