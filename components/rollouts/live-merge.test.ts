import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { invalidateForRolloutChange } from './live-merge';

const keys = { list: [['rollouts', 'list']], get: (id: string) => [['rollouts', 'get'], { input: { id }, type: 'query' }] };
const shown = { id: 'a', version: 3, state: 'paused', currentStep: 1, stateDetail: 'Waiting for approval' };
const listKey = [['rollouts', 'list'], { input: {}, type: 'query' }];

let qc: QueryClient;
afterEach(() => qc.clear());

function client() {
  qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  qc.setQueryData(keys.get('a'), shown);
  qc.setQueryData(listKey, [shown]);
  return qc;
}

describe('a live rollout change in the console cache', () => {
  it('never moves the cached version: it marks the rollout and the lists stale', async () => {
    const qc = client();
    await invalidateForRolloutChange(qc, keys, { id: 'a', version: 4, state: 'progressing' });
    // What the person sees and the version a command would send stay together.
    expect(qc.getQueryData(keys.get('a'))).toEqual(shown);
    expect(qc.getQueryData(listKey)).toEqual([shown]);
    expect(qc.getQueryState(keys.get('a'))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(listKey)?.isInvalidated).toBe(true);
  });

  it('refetches a rollout on screen, so the new version arrives with its step', async () => {
    const qc = client();
    const server = { ...shown, version: 4, state: 'progressing', currentStep: 2, stateDetail: 'Step 3 of 5' };
    let fetches = 0;
    const observer = new QueryObserver(qc, {
      queryKey: keys.get('a'),
      queryFn: () => {
        fetches++;
        return server;
      },
      staleTime: Infinity,
    });
    const seen: unknown[] = [];
    const unsubscribe = observer.subscribe((r) => seen.push(r.data));
    try {
      await invalidateForRolloutChange(qc, keys, { id: 'a', version: 4, state: 'progressing' });
      expect(fetches).toBe(1);
      expect(qc.getQueryData(keys.get('a'))).toEqual(server);
      // Never a mix of the new version with the old step.
      for (const d of seen) expect([shown, server]).toContainEqual(d);
    } finally {
      unsubscribe();
    }
  });

  it('does not invalidate the rollout for a replayed older event, nor another rollout', async () => {
    const qc = client();
    await invalidateForRolloutChange(qc, keys, { id: 'a', version: 3, state: 'aborted' });
    expect(qc.getQueryState(keys.get('a'))?.isInvalidated).toBe(false);
    await invalidateForRolloutChange(qc, keys, { id: 'b', version: 9, state: 'aborted' });
    expect(qc.getQueryState(keys.get('a'))?.isInvalidated).toBe(false);
    expect(qc.getQueryData(keys.get('a'))).toEqual(shown);
  });
});
