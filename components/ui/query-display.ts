// What a panel shows for a polled query. React Query puts a query that has never returned data
// back to `pending` (and clears `error`) each time it refetches, so a query that keeps failing (a
// database too busy to answer within its timeout, a 503) would show a spinner forever between
// brief flashes of the error: the last error is kept until data arrives, and a refetch under way
// says "retrying" beside it instead of hiding it. A query that has data keeps showing it when a
// refetch fails, with the failure beside it (the data is stale, and the user should know).

export type QueryDisplay<T> = { kind: 'data'; data: T; staleError?: unknown } | { kind: 'error'; error: unknown; retrying: boolean } | { kind: 'loading' };

export type QueryLike<T> = { data: T | undefined; error: unknown; failureReason: unknown; fetchStatus: 'fetching' | 'paused' | 'idle' };

/** The error to remember after this render: the newest failure, cleared once data arrives. */
export function nextLastError<T>(q: QueryLike<T>, lastError: unknown): unknown {
  if (q.data !== undefined) return null;
  return q.error ?? q.failureReason ?? lastError;
}

export function queryDisplay<T>(q: QueryLike<T>, lastError: unknown): QueryDisplay<T> {
  if (q.data !== undefined) return q.error ? { kind: 'data', data: q.data, staleError: q.error } : { kind: 'data', data: q.data };
  const error = nextLastError(q, lastError);
  if (error) return { kind: 'error', error, retrying: q.fetchStatus === 'fetching' };
  return { kind: 'loading' };
}
