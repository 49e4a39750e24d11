import type { LiveEventData, LiveTopic } from '@/server/live/topics';
import type { OverviewData } from '@/server/services/topology/topology';

// How one live event changes the client cache. Pure (no React, no tRPC) so it is unit-tested;
// keep it in step with LIVE_TOPICS in server/live/topics.ts.

export interface LivePlan {
  /** tRPC path prefixes whose cached queries are refetched, e.g. ['topology', 'overview']. */
  invalidate: string[][];
}

const BY_TOPIC: Record<LiveTopic, string[][]> = {
  // Users also appear in the session (auth.me) and as actors in audit facets.
  'user.changed': [['users'], ['auth', 'me']],
  'service.changed': [['topology', 'overview']],
  'topology.changed': [['topology']],
  'audit.appended': [],
  'worker.changed': [['system']],
  // A published policy changes the policy pages, machine edge labels and the timeline.
  'policy.changed': [['policies'], ['machines'], ['timeline']],
  // A rollout moved: the fleet table, its page, the pending-approval count and the timeline.
  'rollout.changed': [['rollouts'], ['machines'], ['timeline']],
  // An experiment or one of its runs moved: its lists, its pages and the timeline.
  'experiment.changed': [['experiments'], ['machines'], ['timeline']],
  // Halt engaged / released, a freeze window or a limit changed: the banner, the safety page, the
  // rollouts (a halt pauses them) and the timeline (halts and freezes are drawn on it).
  'safety.changed': [['safety'], ['rollouts'], ['experiments'], ['timeline']],
};

/** Every event is a change, and every change is audited: the audit list is always refreshed. */
const ALWAYS: string[][] = [['audit']];

export function planLiveEvent(event: LiveEventData): LivePlan {
  const own = (BY_TOPIC as Partial<Record<string, string[][]>>)[event.topic] ?? [];
  const invalidate: string[][] = [];
  const seen = new Set<string>();
  for (const path of [...own, ...ALWAYS]) {
    const key = path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    invalidate.push([...path]);
  }
  return { invalidate };
}

type Service = OverviewData['services'][number];

const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Patches a `service.changed` payload into the cached overview so a rename shows at once
 * (the invalidation that follows brings the rest). Two payload shapes exist:
 * an edit `{ id, name, description, version }` and a convergence `{ id, appliedVersion }`.
 * Never moves a version backwards: after a reconnect the backlog may replay events older than
 * data the cache already refetched. Returns the same object when nothing changes.
 */
export function mergeServiceChange(overview: OverviewData, payload: Record<string, unknown>): OverviewData {
  const id = str(payload.id);
  const index = id ? overview.services.findIndex((s) => s.id === id) : -1;
  const current = overview.services[index];
  if (!current) return overview;

  const patch: Partial<Service> = {};
  const version = int(payload.version);
  // An edit without a version cannot be ordered against the cache; only the refetch may apply it.
  if (version !== undefined && version >= current.version) {
    patch.version = version;
    const name = str(payload.name);
    const description = str(payload.description);
    if (name !== undefined) patch.name = name;
    if (description !== undefined) patch.description = description;
  }
  const applied = int(payload.appliedVersion);
  if (applied !== undefined && applied > current.appliedVersion) patch.appliedVersion = applied;

  const changed = (Object.keys(patch) as Array<keyof Service>).some((k) => patch[k] !== current[k]);
  if (!changed) return overview;
  const services = overview.services.slice();
  // Keep the row where it is (no re-sort on rename): rows must not jump under the reader's cursor.
  services[index] = { ...current, ...patch };
  return { ...overview, services };
}
