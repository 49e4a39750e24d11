// The service graph (issue 14): services as nodes, the declared caller → callee calls as edges,
// with each service's traffic, errors, latency, version split and resilience state of one tick,
// and a health verdict in words. Pure: the service reads the aggregates with SQL and hands them here.
import { quantileOf } from '../latency-buckets';

import { BACKPRESSURE_FILL, BAD_ERROR_RATE, SLOW_P95_MS, WARN_ERROR_RATE, serviceHealth, type Health } from './service-health';

export { BACKPRESSURE_FILL, BAD_ERROR_RATE, SLOW_P95_MS, WARN_ERROR_RATE, type Health };

/** One service's figures over its instances' samples of the tick (SQL aggregates). */
export interface ServiceAggregate {
  id: string;
  name: string;
  /** Service.labels; `layer` (access | service | data) names the node's layer. */
  labels: Readonly<Record<string, string>>;
  instances: number;
  /** Instances with a sample in the tick. */
  sampled: number;
  up: number;
  /** Requests per second summed over the instances that are up. */
  rps: number;
  /** Failed requests per second (Σ rps × errorRate). */
  errorRps: number;
  /** The rps-weighted mean of the instances' P95 (used when no histogram is recorded). */
  p95MsMean: number | null;
  maxDegradation: number | null;
  /** Instances above L0, and at L2 (stage-broken) or above. */
  degraded: number;
  severelyDegraded: number;
  /** Distinct instances down (or without a sample in the tick), above L0, or behind an open breaker. */
  unhealthy: number;
  openBreakers: number;
  halfOpenBreakers: number;
  /** Instances with at least one stage at or above BACKPRESSURE_FILL. */
  backpressured: number;
}

/** One (service, app version) of the tick's VersionSample rows, summed over zones. */
export interface VersionAggregate {
  serviceId: string;
  appVersion: string;
  requests: number;
  errors: number;
  /** Summed latency histogram; [] when the platform records none. */
  buckets: readonly number[];
}

export interface RunningRollout {
  serviceId: string;
  name: string;
  state: string;
  stableVersion: string;
  canaryVersion: string;
  /** The canary's weight (%) the rollout asked for, when its routing says so. */
  desiredCanaryPercent: number | null;
}

export interface RunningFault {
  serviceId: string;
  instanceId: string;
  kind: string;
  experiment: string;
}

export interface ServiceCallEdge {
  callerId: string;
  calleeId: string;
}

export interface VersionShare {
  version: string;
  /** 0..1 of the service's requests this tick. */
  share: number;
  errorRate: number | null;
  p95Ms: number | null;
}

export interface GraphNode {
  id: string;
  name: string;
  layer: string | null;
  labels: Readonly<Record<string, string>>;
  instances: number;
  up: number;
  /** False before the service's first sample (no telemetry yet). */
  hasTelemetry: boolean;
  rps: number;
  /** 0..100, null without traffic. */
  errorPercent: number | null;
  p95Ms: number | null;
  maxDegradation: number | null;
  degraded: number;
  severelyDegraded: number;
  unhealthy: number;
  openBreakers: number;
  halfOpenBreakers: number;
  backpressured: number;
  versions: VersionShare[];
  rollout: { name: string; state: string; stableVersion: string; canaryVersion: string; canaryShare: number | null } | null;
  faults: { instances: number; kinds: string[]; experiments: string[] };
  health: Health;
  /** The node's short status ("1 of 2,502 degraded", "2,502 of 2,502 up"). */
  headline: string;
  /** Why the health is not ok, in words ("1 of 2,502 breakers open", "errors 6.2 % of requests"); [] when ok (service-health.ts). */
  reasons: string[];
  /** Depth from the callers that nobody calls (0 = entry point): callers left, callees right. */
  depth: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** The callee's inbound requests/s apportioned to this caller. */
  rps: number;
  /** True when the callee has several callers, so rps is a share by the callers' rates. */
  apportioned: boolean;
  errorPercent: number | null;
  p95Ms: number | null;
  versions: VersionShare[];
  /** 0..1 of the callee's requests on the canary version while a rollout runs, else null. */
  canaryShare: number | null;
  canaryVersion: string | null;
  /** The edge's explanation in words (how the figures are derived). */
  note: string;
}

export interface ServiceGraph {
  tickId: string | null;
  at: string | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ServiceGraphInput {
  tickId: string | null;
  at: string | null;
  services: readonly ServiceAggregate[];
  versions: readonly VersionAggregate[];
  calls: readonly ServiceCallEdge[];
  rollouts: readonly RunningRollout[];
  faults: readonly RunningFault[];
}

const pct = (x: number) => `${x >= 10 ? Math.round(x) : Math.round(x * 10) / 10} %`;

function versionShares(rows: readonly VersionAggregate[]): { shares: VersionShare[]; p95Ms: number | null } {
  const total = rows.reduce((s, r) => s + r.requests, 0);
  const merged: number[] = [];
  for (const r of rows) r.buckets.forEach((b, i) => (merged[i] = (merged[i] ?? 0) + b));
  const shares = rows
    .map((r) => ({
      version: r.appVersion,
      share: total > 0 ? r.requests / total : 0,
      errorRate: r.requests > 0 ? r.errors / r.requests : null,
      p95Ms: r.buckets.length ? quantileOf(r.buckets, 0.95) : null,
    }))
    .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  return { shares, p95Ms: merged.length ? quantileOf(merged, 0.95) : null };
}

/** Longest path from an entry point (a service nobody calls); calls in a cycle stop at a visited node. */
function depths(ids: readonly string[], calls: readonly ServiceCallEdge[]): Map<string, number> {
  const out = new Map<string, string[]>();
  const indeg = new Map(ids.map((id) => [id, 0]));
  for (const c of calls) {
    out.set(c.callerId, [...(out.get(c.callerId) ?? []), c.calleeId]);
    indeg.set(c.calleeId, (indeg.get(c.calleeId) ?? 0) + 1);
  }
  const depth = new Map(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indeg.get(id) === 0);
  // Kahn's order: each node is settled after all its callers, so its depth is the longest path.
  while (queue.length) {
    const id = queue.shift()!;
    for (const next of out.get(id) ?? []) {
      depth.set(next, Math.max(depth.get(next) ?? 0, (depth.get(id) ?? 0) + 1));
      const left = (indeg.get(next) ?? 1) - 1;
      indeg.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  return depth;
}

export function buildServiceGraph(input: ServiceGraphInput): ServiceGraph {
  const versionsBy = new Map<string, VersionAggregate[]>();
  for (const v of input.versions) versionsBy.set(v.serviceId, [...(versionsBy.get(v.serviceId) ?? []), v]);
  const rolloutBy = new Map(input.rollouts.map((r) => [r.serviceId, r]));
  const faultsBy = new Map<string, RunningFault[]>();
  for (const f of input.faults) faultsBy.set(f.serviceId, [...(faultsBy.get(f.serviceId) ?? []), f]);

  const known = new Set(input.services.map((s) => s.id));
  const calls = input.calls.filter((c) => known.has(c.callerId) && known.has(c.calleeId) && c.callerId !== c.calleeId);
  const depth = depths(
    input.services.map((s) => s.id),
    calls,
  );

  const nodes: GraphNode[] = [...input.services]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => {
      const { shares, p95Ms } = versionShares(versionsBy.get(s.id) ?? []);
      const r = rolloutBy.get(s.id);
      const faults = faultsBy.get(s.id) ?? [];
      const hasTelemetry = s.sampled > 0;
      const base = {
        id: s.id,
        name: s.name,
        layer: s.labels.layer ?? null,
        labels: s.labels,
        instances: s.instances,
        up: s.up,
        hasTelemetry,
        rps: s.rps,
        errorPercent: s.rps > 0 ? (100 * s.errorRps) / s.rps : null,
        p95Ms: p95Ms ?? s.p95MsMean,
        maxDegradation: s.maxDegradation,
        degraded: s.degraded,
        severelyDegraded: s.severelyDegraded,
        unhealthy: s.unhealthy,
        openBreakers: s.openBreakers,
        halfOpenBreakers: s.halfOpenBreakers,
        backpressured: s.backpressured,
        versions: shares,
        rollout: r
          ? {
              name: r.name,
              state: r.state,
              stableVersion: r.stableVersion,
              canaryVersion: r.canaryVersion,
              canaryShare: shares.find((v) => v.version === r.canaryVersion)?.share ?? (r.desiredCanaryPercent !== null ? r.desiredCanaryPercent / 100 : null),
            }
          : null,
        faults: {
          instances: new Set(faults.map((f) => f.instanceId)).size,
          kinds: [...new Set(faults.map((f) => f.kind))].sort(),
          experiments: [...new Set(faults.map((f) => f.experiment))].sort(),
        },
      };
      const verdict = serviceHealth({ ...base, faultedInstances: base.faults.instances });
      return { ...base, ...verdict, depth: depth.get(s.id) ?? 0 };
    });

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const callersOf = new Map<string, string[]>();
  for (const c of calls) callersOf.set(c.calleeId, [...(callersOf.get(c.calleeId) ?? []), c.callerId]);

  const edges: GraphEdge[] = calls
    .map((c) => {
      const caller = byId.get(c.callerId)!;
      const callee = byId.get(c.calleeId)!;
      const callers = callersOf.get(c.calleeId)!.map((id) => byId.get(id)!);
      const sum = callers.reduce((s, n) => s + n.rps, 0);
      const part = callers.length === 1 ? 1 : sum > 0 ? caller.rps / sum : 1 / callers.length;
      const canaryShare = callee.rollout?.canaryShare ?? null;
      const note =
        callers.length === 1
          ? `All of ${callee.name}'s inbound traffic comes from ${caller.name}; errors, P95 and the version split are ${callee.name}'s.`
          : `${callee.name} has ${callers.length} callers: its inbound ${Math.round(callee.rps)} req/s is apportioned by the callers' rates (${pct(part * 100)} to ${caller.name}); errors, P95 and the version split are ${callee.name}'s.`;
      return {
        id: `${c.callerId}->${c.calleeId}`,
        source: c.callerId,
        target: c.calleeId,
        rps: callee.rps * part,
        apportioned: callers.length > 1,
        errorPercent: callee.errorPercent,
        p95Ms: callee.p95Ms,
        versions: callee.versions,
        canaryShare: callee.rollout ? canaryShare : null,
        canaryVersion: callee.rollout?.canaryVersion ?? null,
        note,
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  return { tickId: input.tickId, at: input.at, nodes, edges };
}

/** "v1 90 % · v2 10 %" (shares rounded; versions without traffic left out). */
export function versionSplitText(versions: readonly VersionShare[]): string {
  return versions
    .filter((v) => v.share > 0)
    .map((v) => `${v.version} ${pct(v.share * 100)}`)
    .join(' · ');
}

/** Whether a service matches a search: its name or one of its labels (key, value or key=value). */
export function matchesService(node: Pick<GraphNode, 'name' | 'labels'>, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return false;
  if (node.name.toLowerCase().includes(needle)) return true;
  return Object.entries(node.labels).some(([k, v]) => k.toLowerCase().includes(needle) || String(v).toLowerCase().includes(needle) || `${k}=${v}`.toLowerCase() === needle);
}
