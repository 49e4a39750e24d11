import { describe, expect, it } from 'vitest';
import { nextLastError, queryDisplay, type QueryLike } from './query-display';

const busy = new Error('The database did not answer within 5 s; try again shortly.');
const q = (over: Partial<QueryLike<number>>): QueryLike<number> => ({ data: undefined, error: null, failureReason: null, fetchStatus: 'idle', ...over });

describe('what a never-loaded query shows', () => {
  it('spins only before anything has failed', () => {
    expect(queryDisplay(q({ fetchStatus: 'fetching' }), null)).toEqual({ kind: 'loading' });
  });

  it('shows a failed attempt at once, as retrying, while React Query retries it', () => {
    expect(queryDisplay(q({ failureReason: busy, fetchStatus: 'fetching' }), null)).toEqual({ kind: 'error', error: busy, retrying: true });
  });

  it('shows the error, not retrying, once the retries are spent', () => {
    expect(queryDisplay(q({ error: busy, failureReason: busy }), null)).toEqual({ kind: 'error', error: busy, retrying: false });
  });

  it('keeps the last error when a refetch puts the query back to pending with no error', () => {
    // The state React Query gives a refetch of a query without data: status pending, error and failureReason null.
    const refetching = q({ fetchStatus: 'fetching' });
    expect(queryDisplay(refetching, busy)).toEqual({ kind: 'error', error: busy, retrying: true });
    expect(nextLastError(refetching, busy)).toBe(busy);
  });

  it('shows data once it arrives and forgets the error', () => {
    const loaded = q({ data: 3 });
    expect(queryDisplay(loaded, busy)).toEqual({ kind: 'data', data: 3 });
    expect(nextLastError(loaded, busy)).toBeNull();
  });

  it('remembers the newest error over an older one', () => {
    const newer = new Error('newer');
    expect(nextLastError(q({ failureReason: newer, fetchStatus: 'fetching' }), busy)).toBe(newer);
  });

  it('keeps showing data when a later refetch fails, with the failure beside it', () => {
    // React Query keeps the data of a query whose refetch failed: status error, data and error set.
    expect(queryDisplay(q({ data: 3, error: busy, failureReason: busy }), null)).toEqual({ kind: 'data', data: 3, staleError: busy });
    expect(queryDisplay(q({ data: 3, error: busy, failureReason: busy, fetchStatus: 'fetching' }), busy)).toEqual({ kind: 'data', data: 3, staleError: busy });
  });

  it('drops the stale-data warning once a refetch succeeds', () => {
    const shown = queryDisplay(q({ data: 4 }), null);
    expect(shown).toEqual({ kind: 'data', data: 4 });
    expect(shown).not.toHaveProperty('staleError');
  });
});
