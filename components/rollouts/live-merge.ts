// A `rollout.changed` event ({id, version, state}) arriving in the console. The event carries no
// step, detail or reasons, so it never patches the cache: a cached rollout whose version moved
// without the data the person sees would let "Promote to next step" send a version for a step
// they never saw (compare-and-set would accept it). Instead the queries holding an older version
// are invalidated and refetched: the version sent with a command is always that of what is shown.
import type { QueryClient, QueryKey } from '@tanstack/react-query';

export interface RolloutChange {
  id: string;
  version: number;
  state: string;
}

export interface RolloutQueryKeys {
  /** Prefix of every cached `rollouts.list` (any filter). */
  list: QueryKey;
  /** `rollouts.get` of the changed rollout. */
  get: (id: string) => QueryKey;
}

/**
 * Marks what the change makes out of date as stale and refetches what is on screen. Every list is
 * invalidated (a change may move a rollout into or out of a filtered list); the rollout itself only
 * when the event is newer than its cached version (after a reconnect the backlog may replay older
 * events than what the cache already holds).
 */
export async function invalidateForRolloutChange(qc: QueryClient, keys: RolloutQueryKeys, change: RolloutChange): Promise<void> {
  const getKey = keys.get(change.id);
  const cached = qc.getQueryData<{ version: number }>(getKey);
  await Promise.all([
    qc.invalidateQueries({ queryKey: keys.list }),
    cached && change.version > cached.version ? qc.invalidateQueries({ queryKey: getKey, exact: true }) : Promise.resolve(),
  ]);
}
