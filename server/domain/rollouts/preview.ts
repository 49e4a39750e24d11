// Preview before start: for every step, the routing it will write, the version split and the
// per-instance shares that routing produces on today's fleet — computed by splitTraffic, the
// function the live loop uses — and which guards would hold it today.
import type { ServiceRouting, StrategyPolicy } from '../model';
import { splitTraffic } from '../traffic-split';
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
  /** Guards that would hold the step today; only for steps that raise canary traffic. */
  holds: GuardHold[];
}

export interface PreviewProblem {
  path: string;
  message: string;
}

export interface RolloutPreview {
  problems: PreviewProblem[];
  steps: PreviewStep[];
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
  const steps = spec.steps.map((step, index): PreviewStep => {
    const routing = routingAt(spec, index);
    const split = splitTraffic({ routing, instances: service, strategies: fleet.strategies, ...(fleet.headerMix ? { headerMix: fleet.headerMix } : {}) });
    const versionSplit: Record<string, number> = {};
    for (const v of Object.keys(routing.versionWeights)) versionSplit[v] = pct(split.byVersion[v] ?? 0);
    for (const [v, f] of Object.entries(split.byVersion)) versionSplit[v] = pct(f);
    const raises = raisesCanary(spec, index);
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
    };
  });
  return { problems, steps };
}
