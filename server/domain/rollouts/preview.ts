// Preview before start: for every step, the routing it will write, the version split and the
// per-instance shares that routing produces on today's fleet — computed by splitTraffic, the
// function the live loop uses — which guards would hold it on today's telemetry, and what today's
// fleet says about the load the step puts on the canary (canary-load.ts): the guards and the
// analysis judge the canary under the step's share, which today's telemetry of an idle canary
// cannot show, so the preview says what it estimates and what it cannot know.
import type { ServiceRouting, StrategyPolicy } from '../model';
import { splitTraffic } from '../traffic-split';
import { canaryLoad, estimateCapacity, type CanaryLoad, type CapacityEstimate } from './canary-load';
import { canaryZones, DEFAULT_GUARD_THRESHOLDS, evaluateGuards, type GuardHold, type GuardInstance, type GuardThresholds } from './guards';
import { raisesCanary, routingAt, stepSummary } from './plan';
import type { RolloutSpec, RolloutStep } from './spec';

export interface PreviewFleetInstance {
  id: string;
  name: string;
  zone: string;
  appVersion: string;
  /** The effective weight applied now (0 = receives nothing). */
  weight: number;
  /** Requests per second and CPU % of the latest tick (null or absent: no sample). */
  rps?: number | null;
  cpu?: number | null;
}

export interface PreviewFleet {
  /** The service's instances. */
  instances: readonly PreviewFleetInstance[];
  strategies: StrategyPolicy['order'];
  /** Fraction of requests matching each header rule, keyed `${header}=${value}` (as splitTraffic). */
  headerMix?: Readonly<Record<string, number>>;
}

export interface PreviewHealth {
  /** The latest telemetry of the service's instances, as the guards read it. */
  instances: readonly GuardInstance[];
  thresholds?: GuardThresholds;
}

export interface PreviewInstance {
  id: string;
  name: string;
  zone: string;
  version: string;
  weight: number;
  /** Share of the service's requests, in % (one decimal). */
  sharePct: number;
}

export interface PreviewStep {
  index: number;
  step: RolloutStep;
  summary: string;
  routing: ServiceRouting;
  /** % of requests per version (one decimal); both rollout versions always present. */
  versionSplit: Record<string, number>;
  /** % of requests no instance could take (no instance of the version, or all at weight 0). */
  unservedPct: number;
  instances: PreviewInstance[];
  raisesCanary: boolean;
  /** Guards that would hold the step on today's telemetry; only for steps that raise canary traffic. */
  holds: GuardHold[];
  /** The busiest canary instance under this step's routing, from today's rate and capacity; null when unknown. */
  canaryLoad: CanaryLoad | null;
  /**
   * What today's fleet says beyond today's guards, in sentences: an overload under the previous
   * step (a guard would then hold this one), an overload under this step (the analysis would see
   * it), and what cannot be known before the canary carries the traffic.
   */
  outlook: string[];
}

export interface PreviewProblem {
  path: string;
  message: string;
}

export interface RolloutPreview {
  problems: PreviewProblem[];
  steps: PreviewStep[];
  /** How much of today's traffic the canary instances can take; null without telemetry to judge by. */
  capacity: { serviceRps: number; instanceCapacityRps: number; maxCanarySharePct: number } | null;
}

const pct = (f: number) => Math.round(f * 1000) / 10;

export function previewRollout(spec: RolloutSpec, fleet: PreviewFleet, health: PreviewHealth): RolloutPreview {
  const problems: PreviewProblem[] = [];
  const service = fleet.instances;
  for (const [path, version, role] of [
    ['canaryVersion', spec.canaryVersion, 'the canary would get no traffic'],
    ['stableVersion', spec.stableVersion, 'requests kept on stable would find no instance'],
  ] as const) {
    const runs = service.filter((i) => i.appVersion === version);
    if (runs.length === 0) problems.push({ path, message: `No instance of ${spec.service} runs ${version} yet: ${role}` });
    else if (runs.every((i) => i.weight <= 0)) problems.push({ path, message: `Every instance of ${spec.service} running ${version} has weight 0 now: ${role}` });
  }

  const zones = canaryZones(service, spec.canaryVersion);
  const holdsToday = evaluateGuards(zones, health.instances, health.thresholds ?? DEFAULT_GUARD_THRESHOLDS);
  const estimate = estimateCapacity(
    service.map((i) => ({ id: i.id, name: i.name, appVersion: i.appVersion, rps: i.rps ?? null, cpu: i.cpu ?? null })),
    spec.canaryVersion,
  );
  let before: CanaryLoad | null = null;
  const steps = spec.steps.map((step, index): PreviewStep => {
    const routing = routingAt(spec, index);
    const split = splitTraffic({ routing, instances: service, strategies: fleet.strategies, ...(fleet.headerMix ? { headerMix: fleet.headerMix } : {}) });
    const versionSplit: Record<string, number> = {};
    for (const v of Object.keys(routing.versionWeights)) versionSplit[v] = pct(split.byVersion[v] ?? 0);
    for (const [v, f] of Object.entries(split.byVersion)) versionSplit[v] = pct(f);
    const raises = raisesCanary(spec, index);
    const load = estimate ? canaryLoad(split.shares, estimate, service) : null;
    const unknownCohort = !fleet.headerMix && routing.headerRules.some((r) => r.version === spec.canaryVersion);
    const outlook = outlookOf(spec.canaryVersion, { kind: step.kind, raises, first: index === 0, before, load, estimate, unknownCohort });
    before = load;
    return {
      index,
      step,
      summary: stepSummary(step, spec.canaryVersion),
      routing,
      versionSplit,
      unservedPct: pct(split.unserved),
      instances: service.map((i) => ({ id: i.id, name: i.name, zone: i.zone, version: i.appVersion, weight: i.weight, sharePct: pct(split.shares.get(i.id) ?? 0) })),
      raisesCanary: raises,
      holds: raises ? holdsToday : [],
      canaryLoad: load,
      outlook,
    };
  });
  const capacity = estimate ? { serviceRps: Math.round(estimate.serviceRps), instanceCapacityRps: Math.round(estimate.instanceCapacityRps), maxCanarySharePct: estimate.maxCanarySharePct } : null;
  return { problems, steps, capacity };
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');
const loadWords = (l: CanaryLoad) => `${l.instance} would take about ${num(l.rps)} requests/s, ${num(l.utilisationPct)} % of the ~${num(l.capacityRps)} it can serve`;

/**
 * The step's outlook in sentences. The guard before a step reads the telemetry the previous step
 * produced (so an overload there holds this one); the analysis reads what this step produces. A
 * pause or an approval keeps the step before's load: the load (the page's badge) says it, no sentence.
 */
function outlookOf(
  canary: string,
  o: { kind: RolloutStep['kind']; raises: boolean; first: boolean; before: CanaryLoad | null; load: CanaryLoad | null; estimate: CapacityEstimate | null; unknownCohort: boolean },
): string[] {
  const out: string[] = [];
  const routes = o.kind === 'setWeight' || o.kind === 'setHeaderRoute';
  if (o.raises && !o.first && o.before?.level === 'over') {
    out.push(`A guard would very likely hold this step: under the step before, ${loadWords(o.before)}; an overloaded instance fills its buffers (guard: ≥ 85 %) and opens its breaker.`);
  }
  if (o.load?.level === 'over' && routes) {
    out.push(`Overloads ${canary}: ${loadWords(o.load)}. Expect errors and slow requests that the analysis (and the background analysis) would count as a regression and roll back.`);
  } else if (o.load?.level === 'over' && o.kind === 'analysis') {
    out.push(`This analysis would judge ${canary} overloaded (${num(o.load.utilisationPct)} % of what it can serve): expect it to fail and roll back.`);
  } else if (o.load?.level === 'near' && o.raises) {
    out.push(`Close to ${canary}'s capacity: ${loadWords(o.load)}; its buffers may reach the 85 % guard.`);
  }
  if (o.unknownCohort && o.raises && o.kind === 'setHeaderRoute') {
    const n = o.estimate?.canaryCapacityRps.size ?? 0;
    const cap = o.estimate ? ` ${canary}'s ${n === 1 ? 'instance' : `${n} instances`} can take about ${o.estimate.maxCanarySharePct} % of today's requests in all.` : '';
    out.push(`How many requests carry the header is not known before the rule runs, so they are not counted here.${cap}`);
  }
  if (o.raises) {
    out.push(
      o.estimate
        ? `What ${canary} does under this share (its errors, its latency) shows only once it carries it: the guards and the analysis judge it then.`
        : `No telemetry of today's load to judge by: whether ${canary} can carry this share, and what it does under it, shows only once it runs.`,
    );
  }
  return out;
}
