// What a rollout's steps mean for its service's routing (SPEC §3.6): the routing in force after
// each step, whether a step raises canary traffic (what the guards hold), and each step in words.
// The reconciler writes `routingAt` into Service.routing; the preview and the fleet table read the
// same functions, so what an operator previews is what the platform is given.
import type { ServiceRouting } from '../model';
import type { AnalysisMetric, RolloutSpec, RolloutStep } from './spec';

type HeaderRule = ServiceRouting['headerRules'][number];

/** The index `raisesCanary` takes for promotion (promote-full or the last step done): 100 % canary. */
export const PROMOTE = 'promote' as const;

function weights(spec: Pick<RolloutSpec, 'stableVersion' | 'canaryVersion'>, canaryPct: number): Record<string, number> {
  // Both versions always named, so an adapter that keeps unnamed versions as they were (HAProxy
  // keeps server weights) is told the 0 explicitly.
  return { [spec.stableVersion]: 100 - canaryPct, [spec.canaryVersion]: canaryPct };
}

function ruleOf(step: Extract<RolloutStep, { kind: 'setHeaderRoute' }>, canaryVersion: string): HeaderRule {
  return { header: step.header, equals: step.value, version: canaryVersion, match: step.match };
}

const sameRule = (a: HeaderRule, b: HeaderRule) => a.header.toLowerCase() === b.header.toLowerCase() && a.equals === b.equals && (a.match ?? 'exact') === (b.match ?? 'exact') && a.version === b.version;

/** Clamp a step index to the spec: -1 = before the first step, steps.length − 1 = after the last. */
function upTo(spec: RolloutSpec, stepIndex: number): number {
  if (!Number.isFinite(stepIndex)) return stepIndex > 0 ? spec.steps.length - 1 : -1;
  return Math.max(-1, Math.min(spec.steps.length - 1, Math.floor(stepIndex)));
}

/** The canary weight in force after steps 0..stepIndex (0 before any setWeight). */
export function desiredCanaryPct(spec: RolloutSpec, stepIndex: number): number {
  let pct = 0;
  const last = upTo(spec, stepIndex);
  for (let i = 0; i <= last; i++) {
    const s = spec.steps[i]!;
    if (s.kind === 'setWeight') pct = s.weight;
  }
  return pct;
}

/**
 * The routing in force after steps 0..stepIndex: version weights from the last setWeight
 * ({stable: 100 − w, canary: w}; 100 % stable before any), and every header route so far, in step
 * order, each pinning its match to the canary version (a repeated route is kept once).
 * stepIndex −1 = before the first step.
 */
export function routingAt(spec: RolloutSpec, stepIndex: number): ServiceRouting {
  const headerRules: HeaderRule[] = [];
  const last = upTo(spec, stepIndex);
  for (let i = 0; i <= last; i++) {
    const s = spec.steps[i]!;
    if (s.kind !== 'setHeaderRoute') continue;
    const rule = ruleOf(s, spec.canaryVersion);
    if (!headerRules.some((r) => sameRule(r, rule))) headerRules.push(rule);
  }
  return { versionWeights: weights(spec, desiredCanaryPct(spec, stepIndex)), headerRules };
}

/** Promotion (every step done, or promote-full): all traffic to the canary, header rules gone. */
export function promotedRouting(spec: RolloutSpec): ServiceRouting {
  return { versionWeights: weights(spec, 100), headerRules: [] };
}

/** Abort: all traffic back to stable and the header rules removed, as one routing change. */
export function rolledBackRouting(spec: RolloutSpec): ServiceRouting {
  return { versionWeights: weights(spec, 0), headerRules: [] };
}

/**
 * Whether running the step sends more traffic to the canary than before it: a setWeight above the
 * weight in force, or a header route not already in force. Promotion raises unless the steps
 * already send 100 % to the canary (then it only removes header rules: no request moves to the
 * canary). Only such steps are held by the topology guards.
 */
export function raisesCanary(spec: RolloutSpec, stepIndex: number | typeof PROMOTE): boolean {
  if (stepIndex === PROMOTE) return desiredCanaryPct(spec, spec.steps.length - 1) < 100;
  const step = spec.steps[stepIndex];
  if (!step) return false;
  if (step.kind === 'setWeight') return step.weight > desiredCanaryPct(spec, stepIndex - 1);
  if (step.kind === 'setHeaderRoute') {
    const rule = ruleOf(step, spec.canaryVersion);
    return !routingAt(spec, stepIndex - 1).headerRules.some((r) => sameRule(r, rule));
  }
  return false;
}

/** A duration in the words the console uses: "60 s", "2 min", "2 min 30 s", "1 h", "1 h 30 min", "2 d". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n} ${u}`)
    .join(' ');
}

/** One metric and its margin: "error rate +50 %", "p95 +20 %". */
export function metricSummary(m: AnalysisMetric): string {
  return m.metric === 'error-rate' ? `error rate +${m.maxIncreasePct} %` : `p${m.quantile} +${m.maxIncreasePct} %`;
}

const MATCH_WORDS = { exact: '=', prefix: 'starts with', regex: 'matches' } as const;

/**
 * A step in words, for the wizard, the preview, the rollout page and the timeline. Header routes
 * name the version they pin to when it is given ("→ v2"), else "→ canary".
 */
export function stepSummary(step: RolloutStep, canaryVersion?: string): string {
  switch (step.kind) {
    case 'setWeight':
      return `Set weight ${step.weight} %`;
    case 'setHeaderRoute': {
      const value = step.match === 'regex' ? `/${step.value}/` : step.value;
      return `Route ${step.header} ${MATCH_WORDS[step.match]} ${value} → ${canaryVersion ?? 'canary'}`;
    }
    case 'pause':
      return step.seconds === undefined ? 'Pause until resumed' : `Pause ${formatDuration(step.seconds)}`;
    case 'approval':
      return `Approval: ${step.quorum} approver${step.quorum === 1 ? '' : 's'} within ${formatDuration(step.expiresInS)}, then ${step.onExpiry === 'abort' ? 'abort' : 'stay paused'}`;
    case 'analysis':
      return `Analysis ${formatDuration(step.seconds)}: ${step.metrics.map(metricSummary).join(', ')}`;
  }
}
