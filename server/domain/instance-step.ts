// One instance, one tick: sampled inputs → target weight (recompute rule of SPEC §3.1) → effective
// weight ramp → stage machines → watermarks and degradation ladder → ingress isolation → breaker.
// The live loop calls this for up to 10,000 instances a second, so the runtime is updated in place
// and only the per-tick result is allocated.
import { advanceBreaker, newBreaker, type BreakerObservation, type BreakerRuntime } from './breaker';
import {
  advanceIngress,
  advanceLadder,
  advanceWatermark,
  ladderCause,
  LEVEL_NAMES,
  newIngress,
  newLadder,
  newWatermark,
  retryDelayMs,
  type IngressState,
  type Ladder,
  type LadderStep,
  type StageWatermark,
  type WatermarkLevel,
} from './degradation';
import {
  STAGES,
  type AdminState,
  type BreakerState,
  type DegradationLevel,
  type FleetPolicies,
  type InstanceTelemetry,
  type RecomputeTrigger,
  type StageState,
  type StageTelemetry,
  type Transition,
  type WatermarkPolicy,
  type WeightExplanation,
} from './model';
import { FRESH, initialSampled, inputAges, sampleInputs, sampleTolerance, type InputKey, type SampledInputs } from './sampling';
import { advanceStage, isStageState, newStageMachine, observedState, type StageMachine } from './stage-machine';
import { effectiveAt, retarget, settledAt, type WeightRamp } from './weight-transition';
import { changesSomething, triggerChangesState } from './transition-filter';
import { computeWeight, describeTrigger, explanationValues } from './weights';

/** Where the instance stands for the weight model: in service, taken out by an operator, or unreachable. */
export type WeightMode = 'ready' | 'drain' | 'maintenance' | 'down';

/** Everything the domain carries from one tick to the next for one instance (JSON-serialisable). */
export interface InstanceRuntime {
  lastStepAt: number | null;
  sampled: SampledInputs;
  /** Whether each input's last sample was above its alert threshold. */
  above: Record<InputKey, boolean>;
  weight: {
    mode: WeightMode | null;
    target: number | null;
    ramp: WeightRamp | null;
    explanation: WeightExplanation | null;
    lastFullRecomputeAt: number | null;
  };
  stages: StageMachine[];
  /**
   * Whether each stage's state is known (observed or restored). An unknown stage adopts its first
   * observed state silently: the runtime starting is not the worker starting, and a fresh fleet
   * would otherwise record five transitions per instance on its first tick.
   */
  stageKnown: boolean[];
  /** Last known buffer fill per stage, 0..1. */
  fill: number[];
  watermarks: StageWatermark[];
  ladder: Ladder;
  ingress: IngressState;
  breaker: BreakerRuntime;
}

export interface RestoredRuntime {
  targetWeight?: number;
  effectiveWeight?: number;
  degradation?: DegradationLevel;
  breaker?: BreakerState;
  stageState?: string[];
  /** The sampled inputs and when they were taken (a replay resumes the live sampling phase). */
  sampled?: SampledInputs;
  /**
   * What a replay resuming mid-stream also needs to continue exactly as live: the weight mode
   * (else its first step is a first computation), when the last full recompute ran (the periodic
   * phase) and which inputs were above their thresholds (else a fall back below is missed).
   */
  weightMode?: WeightMode;
  lastFullRecomputeAt?: number | null;
  above?: Record<InputKey, boolean>;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A fresh runtime, or one resuming from the last persisted sample so that a new leader continues
 * the ramp, the ladder and the breaker where the old leader stopped. What the sample does not hold
 * (hold timers, EWMA threshold, sample window) starts over at `now`.
 */
export function initialRuntime(now: number, restore?: RestoredRuntime): InstanceRuntime {
  const target = finite(restore?.targetWeight) ? restore.targetWeight : null;
  const effective = finite(restore?.effectiveWeight) ? restore.effectiveWeight : null;
  let ramp: WeightRamp | null = null;
  if (target !== null) ramp = { from: effective ?? target, target, startedAt: now };
  else if (effective !== null) ramp = settledAt(effective, now);
  const level = restore?.degradation;
  const breaker = restore?.breaker;
  return {
    lastStepAt: now,
    sampled: restore?.sampled ? structuredClone(restore.sampled) : initialSampled(),
    above: restore?.above ? { ...restore.above } : { cpu: false, p95: false, connections: false },
    weight: { mode: restore?.weightMode ?? null, target, ramp, explanation: null, lastFullRecomputeAt: restore?.lastFullRecomputeAt ?? null },
    stages: STAGES.map((_, k) => {
      const s = restore?.stageState?.[k];
      return newStageMachine(isStageState(s) ? s : 'idle');
    }),
    stageKnown: STAGES.map((_, k) => isStageState(restore?.stageState?.[k])),
    fill: STAGES.map(() => 0),
    watermarks: STAGES.map(() => newWatermark()),
    ladder: newLadder(level === 0 || level === 1 || level === 2 || level === 3 ? level : 0),
    ingress: newIngress(),
    breaker: newBreaker(breaker === 'open' || breaker === 'half-open' ? breaker : 'closed', now),
  };
}

export interface StepInput {
  telemetry: InstanceTelemetry;
  adminState: AdminState;
  now: number;
  policies: FleetPolicies;
  forceRecompute?: 'policy';
}

export interface StepResult {
  runtime: InstanceRuntime;
  targetWeight: number;
  effectiveWeight: number;
  explanation: WeightExplanation;
  recomputed: RecomputeTrigger | null;
  inputs: { cpuPct: number | null; p95Ms: number | null; connections: number | null };
  /** Age of each sampled input, and of the last full weight recompute (a replay resumes its phase). */
  inputAgeMs: { cpu: number | null; p95: number | null; connections: number | null; recompute: number | null };
  stageStates: StageState[];
  stageFill: number[];
  stageTimeMs: Array<Record<StageState, number>>;
  degradation: DegradationLevel;
  routeSwitched: boolean;
  breaker: BreakerState;
  transitions: Transition[];
  /** Watermark level per stage (normal / elevated / degraded / broken), STAGES order. */
  stageLevels: WatermarkLevel[];
  /** The ingress buffer's isolation state (closed = in service). */
  ingress: BreakerState;
}

const INPUTS: readonly InputKey[] = ['p95', 'cpu', 'connections'];
const THRESHOLD_KEY = { cpu: 'cpuPct', p95: 'p95Ms', connections: 'connections' } as const;

/**
 * The threshold trigger among this tick's fresh samples: a new crossing outranks an input that
 * stays above (recomputed on each of its samples), which outranks one falling back below; ties go
 * to the input furthest past its threshold. Updates `above` for every fresh input.
 */
function thresholdTrigger(r: InstanceRuntime, fresh: number, th: FleetPolicies['weight']['thresholds']): RecomputeTrigger | null {
  let best: InputKey | null = null;
  let bestRank = -1;
  let bestScore = 0;
  for (const key of INPUTS) {
    if ((fresh & FRESH[key]) === 0) continue;
    const value = r.sampled[key].value!;
    const limit = th[THRESHOLD_KEY[key]];
    const above = value > limit;
    const was = r.above[key];
    r.above[key] = above;
    if (!above && !was) continue;
    const rank = above ? (was ? 1 : 2) : 0;
    const score = limit > 0 ? value / limit : value;
    if (rank > bestRank || (rank === bestRank && score > bestScore)) {
      best = key;
      bestRank = rank;
      bestScore = score;
    }
  }
  if (best === null) return null;
  const direction = bestRank === 2 ? 'up' : bestRank === 1 ? 'held' : 'down';
  return { kind: 'threshold', input: best, direction, value: r.sampled[best].value!, threshold: th[THRESHOLD_KEY[best]] };
}

function decideTrigger(r: InstanceRuntime, input: StepInput, crossing: RecomputeTrigger | null, mode: WeightMode, toleranceMs: number): RecomputeTrigger | null {
  const prev = r.weight.mode;
  if (mode !== 'ready') {
    if (prev === mode) return null;
    return mode === 'down' ? { kind: 'down' } : { kind: 'admin', state: mode };
  }
  if (prev === null) return { kind: 'initial' };
  if (prev === 'down') return { kind: 'up' };
  if (prev !== 'ready') return { kind: 'admin', state: 'ready' };
  // A crossing in the same tick as a policy change is the better explanation (and is always
  // recorded); the recompute uses the new policy either way.
  if (crossing !== null) return crossing;
  if (input.forceRecompute === 'policy') return { kind: 'policy' };
  const everyS = input.policies.weight.periodicRecomputeS;
  const last = r.weight.lastFullRecomputeAt;
  if (last === null || input.now - last >= everyS * 1000 - toleranceMs) return { kind: 'periodic', everyS };
  return null;
}

function recompute(r: InstanceRuntime, trigger: RecomputeTrigger, mode: WeightMode, input: StepInput, out: Transition[]) {
  const wp = input.policies.weight;
  const w = r.weight;
  const now = input.now;
  const s = r.sampled;
  const old = w.target;
  let target = 0;
  let terms: WeightExplanation['terms'] = [];
  if (mode === 'ready') {
    ({ target, terms } = computeWeight(wp, { cpuPct: s.cpu.value, p95Ms: s.p95.value, connections: s.connections.value, memPct: s.mem.value }));
    // Nothing to smooth from on a cold start; otherwise walk from the current effective value.
    w.ramp = w.ramp === null ? settledAt(target, now) : retarget(w.ramp, target, now, wp.smoothingWindowS);
    w.lastFullRecomputeAt = now;
  } else {
    // Drain and health-check failure take the instance out at once, as a load balancer does;
    // smoothing is for load signals. The way back in ramps up (slow start).
    w.ramp = settledAt(0, now);
  }
  w.mode = mode;
  w.target = target;
  const explanation: WeightExplanation = { model: wp.model, base: Math.max(0, wp.base), terms, target, trigger, computedAt: now };
  w.explanation = explanation;
  // Only a recompute that changes something becomes a transition (changesSomething, which the
  // step applies to every machine's); its words are built only then.
  const from = old === null ? 'none' : String(old);
  const to = String(target);
  if (from === to && !triggerChangesState(trigger)) return;
  out.push({ machine: 'weight', from, to, cause: describeTrigger(trigger), at: now, values: explanationValues(explanation), trigger });
}

/** What an unreachable instance's stages look like: its process and queues are gone. */
const DOWN_STAGE: StageTelemetry = Object.freeze({ fill: 0, inputs: 0, outputs: 0, outputBlocked: false });

function stepStages(r: InstanceRuntime, t: InstanceTelemetry, dtMs: number, now: number, out: Transition[]) {
  for (let k = 0; k < r.stages.length; k++) {
    const m = r.stages[k]!;
    const st = t.up ? t.stages?.[k] : DOWN_STAGE;
    if (st === undefined) {
      // The platform cannot see inside this instance: the last known state stands.
      if (dtMs > 0) m.timeMs[m.state] += dtMs;
      continue;
    }
    const fill = Math.min(1, Math.max(0, st.fill));
    r.fill[k] = fill;
    if (!r.stageKnown[k]) {
      r.stageKnown[k] = true;
      m.state = observedState(st);
    }
    const steps = advanceStage(m, st, dtMs);
    for (const step of steps) {
      out.push({
        machine: 'stage',
        stage: STAGES[k],
        from: step.from,
        to: step.to,
        cause: t.up ? step.cause : 'instance unreachable',
        at: now,
        values: { fill, inputs: st.inputs, outputs: st.outputs },
      });
    }
  }
}

const pctText = (fill: number) => `${Math.round(fill * 100)} %`;

function ladderTransition(r: InstanceRuntime, step: LadderStep, p: WatermarkPolicy, now: number): Transition {
  const values: Record<string, number> = {};
  let worst = 0;
  let worstFill = -1;
  const broken: string[] = [];
  for (let k = 0; k < r.fill.length; k++) {
    values[`fill.${STAGES[k]}`] = r.fill[k]!;
    if (r.fill[k]! > worstFill) {
      worstFill = r.fill[k]!;
      worst = k;
    }
    if (r.watermarks[k]!.level === 'broken') broken.push(STAGES[k]!);
  }
  values.brokenStages = broken.length;
  values.maxFill = worstFill;
  let cause: string;
  if (step.to > step.from) {
    if (step.to === 3) cause = `${broken.length} stages broken (${broken.join(', ')}): route switch to the backup route`;
    else if (step.to === 2) cause = `stage ${broken[0]} broken: fill ≥ ${p.breakPct} % for ${p.breakHoldS} s`;
    else cause = `stage ${STAGES[worst]} at ${pctText(worstFill)} ≥ ${p.degradePct} %: non-critical fields dropped`;
  } else {
    values.heldS = step.heldS;
    const gone = step.from === 3 ? `fewer than ${p.routeSwitchMinBrokenStages} stages broken` : step.from === 2 ? 'no stage broken' : `every stage below ${p.degradePct} %`;
    cause = `${gone} for ${Math.round(step.heldS)} s`;
  }
  return { machine: 'degradation', from: LEVEL_NAMES[step.from], to: LEVEL_NAMES[step.to], cause, at: now, values };
}

// Scratch observation for the breaker: the loop is single-threaded and the breaker does not keep it.
const obs: BreakerObservation = { requests: 0, failures: 0, rtMs: null, activeRequests: null, maxConcurrency: null };

/** What a tick decided, without the snapshot of the runtime that stepInstance adds. */
export interface InstanceAdvance {
  effectiveWeight: number;
  recomputed: RecomputeTrigger | null;
  transitions: Transition[];
  stageLevels: WatermarkLevel[];
}

/**
 * The independent machines of a step, as bits: each reads only its own part of the runtime, its
 * own policy and the telemetry (the watermarks read the stage fills, which no policy changes).
 * The what-if replay steps a draft through only the part whose policy it changes and shares the
 * other parts' objects with the published replay (server/domain/draft-step.ts).
 */
export const STEP_PARTS = { weight: 1, stages: 2, watermark: 4, breaker: 8 } as const;
export const ALL_STEP_PARTS = 15;

/**
 * The machines' part of stepInstance: advances `prev` in place by one tick and returns what it
 * decided. The what-if replay steps through millions of ticks and reads only this; the snapshot
 * stepInstance builds on top (states, times, inputs, ages) is about a third of a step. `parts`
 * (STEP_PARTS bits) limits the step to some machines: the others' state is left as it is.
 */
export function advanceInstance(prev: InstanceRuntime, input: StepInput, parts: number = ALL_STEP_PARTS): InstanceAdvance {
  const r = prev;
  const { telemetry: t, now, policies } = input;
  const transitions: Transition[] = [];
  const dtMs = r.lastStepAt === null ? 0 : Math.max(0, now - r.lastStepAt);
  const tolerance = sampleTolerance(dtMs > 0 ? dtMs : null);
  r.lastStepAt = now;

  // Weights.
  let trigger: RecomputeTrigger | null = null;
  if ((parts & STEP_PARTS.weight) !== 0) {
    const fresh = sampleInputs(r.sampled, t, now, policies.weight.cadencesS, tolerance);
    const crossing = thresholdTrigger(r, fresh, policies.weight.thresholds);
    const mode: WeightMode = input.adminState !== 'ready' ? input.adminState : t.up ? 'ready' : 'down';
    trigger = decideTrigger(r, input, crossing, mode, tolerance);
    if (trigger !== null) recompute(r, trigger, mode, input, transitions);
  }
  const ramp = r.weight.ramp;
  const effectiveWeight = ramp === null ? NaN : effectiveAt(ramp, now, policies.weight.smoothingWindowS);

  // Stages, watermarks, ladder.
  if ((parts & STEP_PARTS.stages) !== 0) stepStages(r, t, dtMs, now, transitions);
  const wm = policies.watermark;
  const stageLevels: WatermarkLevel[] = new Array<WatermarkLevel>(r.watermarks.length);
  if ((parts & STEP_PARTS.watermark) !== 0) {
    for (let k = 0; k < r.watermarks.length; k++) stageLevels[k] = advanceWatermark(r.watermarks[k]!, r.fill[k]!, now, wm);
    const ladderStep = advanceLadder(r.ladder, ladderCause(r.watermarks, wm).level, now, wm);
    if (ladderStep !== null) transitions.push(ladderTransition(r, ladderStep, wm, now));

    // Ingress buffer: a breaker of the access stage.
    const writeTimeouts = t.up ? (t.ingressWriteTimeouts ?? 0) : 0;
    const ingressStep = advanceIngress(r.ingress, writeTimeouts, now, wm);
    if (ingressStep !== null) {
      const values: Record<string, number> = { writeTimeouts, consecutiveTicks: r.ingress.timeoutTicks, attempt: r.ingress.attempt };
      if (r.ingress.state === 'open') values.retryInS = retryDelayMs(r.ingress.attempt) / 1000;
      transitions.push({ machine: 'breaker', stage: 'access', from: ingressStep.from, to: ingressStep.to, cause: ingressStep.cause, at: now, values });
    }
  } else for (let k = 0; k < r.watermarks.length; k++) stageLevels[k] = r.watermarks[k]!.level;

  // Instance breaker.
  if ((parts & STEP_PARTS.breaker) !== 0) {
    const requests = t.up && finite(t.requests) ? Math.max(0, t.requests) : 0;
    obs.requests = requests;
    obs.failures = Math.min(requests, Math.max(0, (t.errors ?? 0) + (t.timeouts ?? 0)));
    obs.rtMs = requests > 0 && finite(t.rtMs) ? t.rtMs : null;
    obs.activeRequests = finite(t.activeRequests) ? t.activeRequests : null;
    obs.maxConcurrency = finite(t.maxConcurrency) ? t.maxConcurrency : null;
    const breakerStep = advanceBreaker(r.breaker, obs, now, policies.breaker);
    if (breakerStep !== null) transitions.push({ machine: 'breaker', from: breakerStep.from, to: breakerStep.to, cause: breakerStep.cause, at: now, values: breakerStep.values });
  }

  // No "Weight 16 → 16" rows: a transition that changes nothing is never produced.
  return { effectiveWeight, recomputed: trigger, transitions: transitions.length === 0 ? transitions : transitions.filter(changesSomething), stageLevels };
}

/**
 * Advance one instance by one tick. `prev` is consumed: it is updated in place and returned as
 * `runtime` (no copy per instance per tick); deep-copy it first (structuredClone, JSON) to keep
 * the old state. The result's arrays and explanation are snapshots, safe to keep.
 */
export function stepInstance(prev: InstanceRuntime, input: StepInput): StepResult {
  const r = prev;
  const now = input.now;
  const { effectiveWeight, recomputed, transitions, stageLevels } = advanceInstance(r, input);
  const w = r.weight;
  const stageStates: StageState[] = new Array<StageState>(r.stages.length);
  const stageTimeMs: Array<Record<StageState, number>> = new Array<Record<StageState, number>>(r.stages.length);
  for (let k = 0; k < r.stages.length; k++) {
    const m = r.stages[k]!;
    stageStates[k] = m.state;
    stageTimeMs[k] = { idle: m.timeMs.idle, active: m.timeMs.active, blocked: m.timeMs.blocked };
  }
  const s = r.sampled;
  return {
    runtime: r,
    targetWeight: w.target!,
    effectiveWeight,
    explanation: w.explanation!,
    recomputed,
    inputs: { cpuPct: s.cpu.value, p95Ms: s.p95.value, connections: s.connections.value },
    inputAgeMs: { ...inputAges(s, now), recompute: w.lastFullRecomputeAt === null ? null : now - w.lastFullRecomputeAt },
    stageStates,
    stageFill: r.fill.slice(),
    stageTimeMs,
    degradation: r.ladder.level,
    routeSwitched: r.ladder.level === 3,
    breaker: r.breaker.state,
    transitions,
    stageLevels,
    ingress: r.ingress.state,
  };
}
