// What-if replay (SPEC §4.5): recorded telemetry run through a policy with the same step the live
// loop uses, so a draft policy can be compared with the published one on the same inputs.
import { initialRuntime, stepInstance, type RestoredRuntime } from './instance-step';
import { STAGES, type AdminState, type FleetPolicies, type InstanceTelemetry, type Transition } from './model';
import { STEP_PARTS, type TransitionCounts } from './step-counts';

/** One stored sample: the inputs the live loop saw at that tick (and what it decided). */
export interface RecordedSample {
  at: number;
  up: boolean;
  rtMs: number | null;
  cpu: number | null;
  p95Ms: number | null;
  connections: number | null;
  errorRate: number | null;
  requests: number | null;
  activeRequests: number | null;
  maxConcurrency: number | null;
  ingressTimeouts: number | null;
  stageFill: readonly number[];
  stageInputs: readonly number[];
  stageOutputs: readonly number[];
  stageBlocked: readonly boolean[];
  targetWeight: number;
  effectiveWeight: number;
  degradation: number;
  breaker: string;
  stageState: readonly string[];
  /** Age of each sampled input at this tick (null: never sampled), and of the last full weight recompute. */
  inputAgeMs: { cpu: number | null; p95: number | null; connections: number | null; recompute?: number | null };
}

const v = (x: number | null) => (x === null ? undefined : x);

/**
 * The telemetry a sample stands for. A sample stores the sampled inputs (held between samples),
 * so an input counts as measured only on the ticks the live loop took it (age 0); otherwise it is
 * absent and the step keeps its age, exactly as live. (A draft with shorter cadences therefore
 * cannot sample more often than the live loop did: the raw values in between were not kept.)
 */
// At module level, not a closure per call: the replay builds the telemetry of millions of samples.
const fresh = (x: number | null, age: number | null) => (age === 0 ? v(x) : undefined);

export function telemetryOf(instanceId: string, s: RecordedSample): InstanceTelemetry {
  const requests = v(s.requests);
  const t: InstanceTelemetry = {
    instanceId,
    up: s.up,
    rtMs: v(s.rtMs),
    cpuPct: fresh(s.cpu, s.inputAgeMs.cpu),
    p95Ms: fresh(s.p95Ms, s.inputAgeMs.p95),
    connections: fresh(s.connections, s.inputAgeMs.connections),
    requests,
    errors: requests !== undefined && s.errorRate !== null ? Math.round(s.errorRate * requests) : undefined,
    activeRequests: v(s.activeRequests),
    maxConcurrency: v(s.maxConcurrency),
    ingressWriteTimeouts: v(s.ingressTimeouts),
  };
  if (s.stageInputs.length === STAGES.length) {
    t.stages = STAGES.map((_, k) => ({ fill: s.stageFill[k] ?? 0, inputs: s.stageInputs[k] ?? 0, outputs: s.stageOutputs[k] ?? 0, outputBlocked: s.stageBlocked[k] ?? false }));
  }
  return t;
}

export interface ReplayPoint {
  at: number;
  targetWeight: number;
  effectiveWeight: number;
  degradation: number;
  breaker: string;
}

export interface ReplayResult {
  points: ReplayPoint[];
  transitions: Transition[];
}

const taken = (value: number | null, at: number, age: number | null) => (value === null || age === null ? { value: null, at: null } : { value, at: at - age });

/**
 * The weight mode at `s`, where the sample tells it. `adminState` is today's: an instance ready now
 * with a weight at `s` was ready then (drain and maintenance set the weight to 0); otherwise the
 * mode is left unknown and the first step recomputes, as a new leader would.
 */
function resumedMode(s: RecordedSample, adminState: AdminState): RestoredRuntime['weightMode'] {
  if (adminState !== 'ready') return undefined;
  if (!s.up) return 'down';
  return s.targetWeight > 0 ? 'ready' : undefined;
}

/**
 * The runtime the live loop had after `s`, as far as a sample records it (hold timers and breaker
 * windows start over). Which inputs were above their thresholds follows from the sampled values
 * and the policy replayed.
 */
export function restoreFrom(s: RecordedSample, policies: FleetPolicies, adminState: AdminState = 'ready'): RestoredRuntime {
  const th = policies.weight.thresholds;
  const over = (x: number | null, age: number | null, limit: number) => x !== null && age !== null && x > limit;
  const recompute = s.inputAgeMs.recompute;
  return {
    weightMode: resumedMode(s, adminState),
    lastFullRecomputeAt: recompute === null || recompute === undefined ? null : s.at - recompute,
    above: { cpu: over(s.cpu, s.inputAgeMs.cpu, th.cpuPct), p95: over(s.p95Ms, s.inputAgeMs.p95, th.p95Ms), connections: over(s.connections, s.inputAgeMs.connections, th.connections) },
    targetWeight: s.targetWeight,
    effectiveWeight: s.effectiveWeight,
    degradation: (s.degradation >= 0 && s.degradation <= 3 ? s.degradation : 0) as 0 | 1 | 2 | 3,
    breaker: s.breaker === 'open' || s.breaker === 'half-open' ? s.breaker : 'closed',
    stageState: [...s.stageState],
    // Same sampling phase as the live loop: the inputs are taken on the same ticks.
    sampled: {
      cpu: taken(s.cpu, s.at, s.inputAgeMs.cpu),
      p95: taken(s.p95Ms, s.at, s.inputAgeMs.p95),
      connections: taken(s.connections, s.at, s.inputAgeMs.connections),
      mem: { value: null, at: null },
    },
  };
}

/**
 * Steps one instance through its samples (oldest first). By default it resumes from the state
 * the first sample records and replays the rest; with `freshAt` it starts from a fresh runtime
 * at that time and replays every sample (what the live loop does after it starts). Pure: the
 * same samples and policy give the same result.
 */
export function replayInstance(instanceId: string, samples: readonly RecordedSample[], policies: FleetPolicies, opts: { adminState?: AdminState; freshAt?: number } = {}): ReplayResult {
  const first = samples[0];
  if (!first) return { points: [], transitions: [] };
  const adminState = opts.adminState ?? 'ready';
  const runtime = opts.freshAt !== undefined ? initialRuntime(opts.freshAt) : initialRuntime(first.at, restoreFrom(first, policies, adminState));
  const points: ReplayPoint[] = [];
  const transitions: Transition[] = [];
  for (const s of opts.freshAt !== undefined ? samples : samples.slice(1)) {
    const res = stepInstance(runtime, { telemetry: telemetryOf(instanceId, s), adminState, now: s.at, policies });
    points.push({ at: s.at, targetWeight: res.targetWeight, effectiveWeight: res.effectiveWeight, degradation: res.degradation, breaker: res.breaker });
    transitions.push(...res.transitions);
  }
  return { points, transitions };
}

export interface ReplayCounts {
  stageBreaks: number;
  degradations: number;
  breakerOpens: number;
  weightRecomputes: number;
  /** Instances whose effective weight went below `lowWeight` at some point. */
  instancesBelowLow: number;
  meanEffectiveWeight: number;
}

/** The effective weight below which an instance counts as starved ("dropped below weight 20"). */
export const LOW_WEIGHT = 20;

/**
 * The counts of ReplayCounts, added up one step at a time (the preview folds each step as it
 * replays instead of keeping every point). Points are summed in the order given: the mean is
 * the same to the last bit as long as the order is.
 */
export class ReplayTally {
  stageBreaks = 0;
  degradations = 0;
  breakerOpens = 0;
  weightRecomputes = 0;
  private below = 0;
  private sum = 0;
  private n = 0;
  private instanceBelow = false;

  constructor(private readonly lowWeight = LOW_WEIGHT) {}

  transition(t: Transition): void {
    if (t.machine === 'stage' && t.to === 'blocked') this.stageBreaks++;
    else if (t.machine === 'degradation' && t.to > t.from) this.degradations++;
    else if (t.machine === 'breaker' && t.to === 'open') this.breakerOpens++;
    else if (t.machine === 'weight') this.weightRecomputes++;
  }

  /** The transitions of `parts` (STEP_PARTS bits) in `c`, as transition() of each would count them. */
  counted(c: TransitionCounts, parts: number): void {
    if ((parts & STEP_PARTS.stages) !== 0) this.stageBreaks += c.stageBlocked;
    if ((parts & STEP_PARTS.watermark) !== 0) {
      this.degradations += c.degradationUp;
      this.breakerOpens += c.ingressOpen;
    }
    if ((parts & STEP_PARTS.breaker) !== 0) this.breakerOpens += c.breakerOpen;
    if ((parts & STEP_PARTS.weight) !== 0) this.weightRecomputes += c.weight;
  }

  point(effectiveWeight: number): void {
    if (effectiveWeight < this.lowWeight) this.instanceBelow = true;
    this.sum += effectiveWeight;
    this.n++;
  }

  /** Closes the instance whose points came since the last call. */
  endInstance(): void {
    if (this.instanceBelow) this.below++;
    this.instanceBelow = false;
  }

  counts(): ReplayCounts {
    const { stageBreaks, degradations, breakerOpens, weightRecomputes } = this;
    return { stageBreaks, degradations, breakerOpens, weightRecomputes, instancesBelowLow: this.below, meanEffectiveWeight: this.n ? Math.round((this.sum / this.n) * 10) / 10 : 0 };
  }
}

export function countReplay(results: ReadonlyArray<ReplayResult>, lowWeight = LOW_WEIGHT): ReplayCounts {
  const tally = new ReplayTally(lowWeight);
  for (const r of results) {
    for (const t of r.transitions) tally.transition(t);
    for (const p of r.points) tally.point(p.effectiveWeight);
    tally.endInstance();
  }
  return tally.counts();
}
