'use client';

// The loading / error part of a polled panel, one way for every page (query-display.ts says why):
// a query that keeps failing shows its last error with Try again, not a spinner that flashes the
// error between refetches; a query with data keeps it on screen when a refetch fails, and says so.
import { useState, type ReactNode } from 'react';
import { errorMessage } from '@/components/trpc/errors';
import { Button } from './button';
import { ErrorText } from './error-text';
import { nextLastError, queryDisplay, type QueryDisplay, type QueryLike } from './query-display';
import { Loading } from './spinner';

type Refetchable<T> = QueryLike<T> & { refetch: () => Promise<unknown> };

export interface QueryState<T> {
  shown: QueryDisplay<T>;
  /** The Try again button's click: refetch now. */
  retry: () => void;
  /** The user's own Try again is under way (not the background retries and polls: see below). */
  asked: boolean;
}

export function useQueryDisplay<T>(q: Refetchable<T>): QueryState<T> {
  const [lastError, setLastError] = useState<unknown>(null);
  const keep = nextLastError(q, lastError);
  if (keep !== lastError) setLastError(keep);
  // "Retrying…" answers the user's own click, until that fetch settles: the background retries and
  // polls of a failing query would otherwise keep the button busy nearly all the time (three 5 s
  // reads per cycle), and the user could never ask again (a CI run waited 40 s for it).
  const [asked, setAsked] = useState(false);
  return {
    shown: queryDisplay(q, keep),
    asked,
    retry: () => {
      setAsked(true);
      void q.refetch().finally(() => setAsked(false));
    },
  };
}

/** The error with Try again ("Retrying…" while the user's own retry runs). */
export function QueryError({ error, state, small = true }: { error: unknown; state: QueryState<unknown>; small?: boolean }) {
  const busy = state.asked && state.shown.kind === 'error' && state.shown.retrying;
  return (
    <ErrorText
      error={error}
      action={
        <Button size={small ? 'small' : 'normal'} busy={busy} busyLabel="Retrying…" onClick={state.retry}>
          Try again
        </Button>
      }
    />
  );
}

/**
 * What is said about the query beside its data: loading, the error, or (with data) a failed
 * refetch (the figures are from the last answer); nothing while all is well. `what` finishes
 * "Loading …".
 */
export function QueryStatus<T>({ state, what }: { state: QueryState<T>; what: string }) {
  const s = state.shown;
  const any = state as QueryState<unknown>;
  if (s.kind === 'loading') return <Loading what={what} />;
  if (s.kind === 'error') return <QueryError error={s.error} state={any} />;
  if (s.staleError) return <QueryError error={`${errorMessage(s.staleError)} Showing the last answer until the next one arrives.`} state={any} />;
  return null;
}

/** QueryStatus, then `children(data)` once there is data. */
export function QueryGate<T>({ state, what, children }: { state: QueryState<T>; what: string; children: (data: T) => ReactNode }) {
  return (
    <>
      <QueryStatus state={state} what={what} />
      {state.shown.kind === 'data' ? children(state.shown.data) : null}
    </>
  );
}
