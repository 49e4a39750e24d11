// Whether the canary's instances can carry a step's traffic, judged from today's fleet before
// anything runs. The guards (SPEC §6.3) and the analysis (§6.1) judge the canary by the telemetry it
// produces under the share a step sends it; today's telemetry of an idle canary says nothing about
// that. What today's fleet does say: the service's request rate, and how many requests an instance
// serves per CPU. An instance sent more than it can serve fills its stage buffers (the buffer guard
// at 85 %, then L2) and opens its breaker (the breaker guard), and its errors and latency fail the
// analysis — so a step that overloads the canary is held or rolled back, whatever today's guards say.

export interface LoadInstance {
  id: string;
  name: string;
  appVersion: string;
  /** Requests per second in the latest tick; null when the instance has no sample. */
  rps: number | null;
  /** CPU % in the latest tick; null when unknown. */
  cpu: number | null;
}

export interface CapacityEstimate {
  /** Requests per second of the whole service today. */
  serviceRps: number;
  /** Requests per second an instance serves at 100 % CPU: the median over today's loaded instances. */
  instanceCapacityRps: number;
  /** Each canary instance's capacity: its own estimate when it is loaded today, else the median. */
  canaryCapacityRps: ReadonlyMap<string, number>;
  /** Share of today's requests the canary instances can take together before they saturate, in %. */
  maxCanarySharePct: number;
}

/** Below this CPU the idle load and the noise dominate requests per CPU: not used for an estimate. */
const MIN_CPU_PCT = 20;
/** Projected utilisation at or above this is near capacity: buffers climb toward the 85 % guard. */
export const NEAR_CAPACITY = 0.85;

/**
 * Capacity from today's telemetry: rps ÷ (CPU / 100) per loaded instance. CPU includes the idle
 * load, so this errs low (an overload is announced a little early, never late); a canary version
 * that needs more CPU per request than stable is not known before it runs.
 */
export function estimateCapacity(instances: readonly LoadInstance[], canaryVersion: string): CapacityEstimate | null {
  let serviceRps = 0;
  const perInstance = new Map<string, number>();
  for (const i of instances) {
    if (i.rps === null || !Number.isFinite(i.rps) || i.rps < 0) continue;
    serviceRps += i.rps;
    if (i.cpu !== null && Number.isFinite(i.cpu) && i.cpu >= MIN_CPU_PCT && i.rps > 0) perInstance.set(i.id, i.rps / (Math.min(100, i.cpu) / 100));
  }
  if (serviceRps <= 0 || perInstance.size === 0) return null;
  const sorted = [...perInstance.values()].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const instanceCapacityRps = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const canaryCapacityRps = new Map(instances.filter((i) => i.appVersion === canaryVersion).map((i) => [i.id, perInstance.get(i.id) ?? instanceCapacityRps]));
  const total = [...canaryCapacityRps.values()].reduce((a, b) => a + b, 0);
  return { serviceRps, instanceCapacityRps, canaryCapacityRps, maxCanarySharePct: Math.round((total / serviceRps) * 1000) / 10 };
}

export interface CanaryLoad {
  /** The canary instance with the highest projected utilisation. */
  instance: string;
  /** Its projected requests per second and capacity (whole numbers). */
  rps: number;
  capacityRps: number;
  /** Its projected utilisation in whole %. */
  utilisationPct: number;
  level: 'ok' | 'near' | 'over';
}

/** The busiest canary instance under a split (`shares`: fraction of the service's requests per instance id). */
export function canaryLoad(shares: ReadonlyMap<string, number>, estimate: CapacityEstimate, instances: ReadonlyArray<{ id: string; name: string }>): CanaryLoad | null {
  let worst: CanaryLoad | null = null;
  let worstU = -1;
  for (const [id, capacity] of estimate.canaryCapacityRps) {
    const rps = (shares.get(id) ?? 0) * estimate.serviceRps;
    const u = rps / capacity;
    if (u <= worstU) continue;
    worstU = u;
    const name = instances.find((i) => i.id === id)?.name ?? id;
    worst = { instance: name, rps: Math.round(rps), capacityRps: Math.round(capacity), utilisationPct: Math.round(u * 100), level: u >= 1 ? 'over' : u >= NEAR_CAPACITY ? 'near' : 'ok' };
  }
  return worst;
}
