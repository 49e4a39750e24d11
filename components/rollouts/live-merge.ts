// A `rollout.changed` event ({id, version, state}) patched into cached rows. Never moves a row
// backwards: after a reconnect the backlog may replay events older than what the cache refetched.
import type { RolloutState } from '@/server/domain/rollouts/machine';

interface Change {
  id: string;
  version: number;
  state: string;
}

export function mergeRolloutChange<T extends { id: string; version: number; state: RolloutState }>(rows: T[], change: Change): T[] {
  const i = rows.findIndex((r) => r.id === change.id);
  const row = rows[i];
  if (!row || change.version <= row.version) return rows;
  const next = rows.slice();
  // The reason fields are refetched; until then a new state keeps no stale reason of the old one.
  const state = change.state as RolloutState;
  next[i] = { ...row, version: change.version, state, ...(state !== row.state ? { pauseReason: null, abortReason: null } : {}) };
  return next;
}
