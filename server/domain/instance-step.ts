// One instance, one tick: sampled inputs → target weight (recompute rule of SPEC §3.1) → effective
// weight ramp → stage machines → watermarks and degradation ladder → ingress isolation → breaker.
// The live loop calls this for up to 10,000 instances a second, so the runtime is updated in place
// and only the per-tick result is allocated. The what-if replay takes the same step in a
// count-only form (advanceCounted): the same machines, with the transitions counted instead of
// described.
import { advanceBreaker, type BreakerObservation } from './breaker';
import { advanceIngress, advanceLadder, advanceWatermark, levelFor, LEVEL_NAMES, retryDelayMs, type LadderStep, type WatermarkLevel } from './degradation';
import { finite, type InstanceRuntime, type WeightMode } from './instance-runtime';
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
import { inputAges, sampleInputs, sampleTolerance } from './sampling';
import { advanceStage, observedState } from './stage-machine';
import { ALL_STEP_PARTS, STEP_PARTS, type TransitionCounts } from './step-counts';
import { changesSomething } from './transition-filter';
import { effectiveAt } from './weight-transition';
import { DECIDED, decideCode, decideTrigger, recompute, recomputeCounted, thresholdBest, thresholdTrigger, weightTransition } from './weight-step';

export { initialRuntime, type InstanceRuntime, type RestoredRuntime, type WeightMode } from './instance-runtime';
export { ALL_STEP_PARTS, STEP_PARTS } from './step-counts';

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

/** What an unreachable instance's stages look like: its process and queues are gone. */
const DOWN_STAGE: StageTelemetry = Object.freeze({ fill: 0, inputs: 0, outputs: 0, outputBlocked: false });

function stepStages(r: InstanceRuntime, t: InstanceTelemetry, dtMs: number, now: number, out: Transition[] | null, counts: TransitionCounts | null) {
  // Read once, not per stage: the what-if replay takes this step for millions of ticks.
  const machines = r.stages;
  const fills = r.fill;
  const known = r.stageKnown;
  const up = t.up;
  const seen = t.stages;
  for (let k = 0; k < machines.length; k++) {
    const m = machines[k]!;
    const st = up ? (seen === undefined ? undefined : seen[k]) : DOWN_STAGE;
    if (st === undefined) {
      // The platform cannot see inside this instance: the last known state stands.
      if (dtMs > 0) m.timeMs[m.state] += dtMs;
      continue;
    }
    const fill = Math.min(1, Math.max(0, st.fill));
    fills[k] = fill;
    if (!known[k]) {
      known[k] = true;
      m.state = observedState(st);
    }
    const steps = advanceStage(m, st, dtMs);
    if (out === null) {
      // Table rows always change the state (changesSomething keeps them all).
      for (let j = 0; j < steps.length; j++) {
        counts!.stage++;
        if (steps[j]!.to === 'blocked') counts!.stageBlocked++;
      }
      continue;
    }
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

/**
 * The machines of one step, in place. Transitions go to `out`, in full, or, when `out` is null,
 * are only counted in `counts` (the same ones: each count site counts exactly what
 * changesSomething would keep). `levels`, when given, receives each stage's watermark level.
 */
function advanceMachines(r: InstanceRuntime, input: StepInput, parts: number, out: Transition[] | null, counts: TransitionCounts | null, levels: WatermarkLevel[] | null): RecomputeTrigger | null {
  const { telemetry: t, now, policies } = input;
  const dtMs = r.lastStepAt === null ? 0 : Math.max(0, now - r.lastStepAt);
  r.lastStepAt = now;

  // Weights.
  let trigger: RecomputeTrigger | null = null;
  if ((parts & STEP_PARTS.weight) !== 0) {
    const tolerance = sampleTolerance(dtMs > 0 ? dtMs : null);
    const fresh = sampleInputs(r.sampled, t, now, policies.weight.cadencesS, tolerance);
    const mode: WeightMode = input.adminState !== 'ready' ? input.adminState : t.up ? 'ready' : 'down';
    if (out === null) {
      // Count-only: the same decision and target as numbers, no trigger or explanation built.
      const crossing = thresholdBest(r, fresh, policies.weight.thresholds);
      const decided = decideCode(r, input, crossing, mode, tolerance);
      if (decided !== DECIDED.none && recomputeCounted(r, decided, crossing, mode, policies.weight, now)) counts!.weight++;
    } else {
      const crossing = thresholdTrigger(r, fresh, policies.weight.thresholds);
      trigger = decideTrigger(r, input, crossing, mode, tolerance);
      if (trigger !== null) {
        const old = r.weight.target;
        if (recompute(r, trigger, mode, policies.weight, now)) out.push(weightTransition(r, old, now));
      }
    }
  }

  // Stages, watermarks, ladder.
  if ((parts & STEP_PARTS.stages) !== 0) stepStages(r, t, dtMs, now, out, counts);
  const wm = policies.watermark;
  if ((parts & STEP_PARTS.watermark) !== 0) {
    // The ladder's cause (ladderLevel's count) taken in the same pass as the levels.
    const marks = r.watermarks;
    const fills = r.fill;
    let broken = 0;
    let degraded = 0;
    for (let k = 0; k < marks.length; k++) {
      const level = advanceWatermark(marks[k]!, fills[k]!, now, wm);
      if (levels !== null) levels[k] = level;
      if (level === 'broken') broken++;
      else if (level === 'degraded') degraded++;
    }
    const ladderStep = advanceLadder(r.ladder, levelFor(broken, broken + degraded, wm), now, wm);
    if (ladderStep !== null) {
      if (out !== null) out.push(ladderTransition(r, ladderStep, wm, now));
      else if (ladderStep.to !== ladderStep.from) {
        counts!.degradation++;
        if (ladderStep.to > ladderStep.from) counts!.degradationUp++;
      }
    }

    // Ingress buffer: a breaker of the access stage.
    const writeTimeouts = t.up ? (t.ingressWriteTimeouts ?? 0) : 0;
    const ingressStep = advanceIngress(r.ingress, writeTimeouts, now, wm, out !== null);
    if (ingressStep !== null) {
      if (out !== null) {
        const values: Record<string, number> = { writeTimeouts, consecutiveTicks: r.ingress.timeoutTicks, attempt: r.ingress.attempt };
        if (r.ingress.state === 'open') values.retryInS = retryDelayMs(r.ingress.attempt) / 1000;
        out.push({ machine: 'breaker', stage: 'access', from: ingressStep.from, to: ingressStep.to, cause: ingressStep.cause, at: now, values });
      } else if (ingressStep.to !== ingressStep.from) {
        counts!.ingress++;
        if (ingressStep.to === 'open') counts!.ingressOpen++;
      }
    }
  } else if (levels !== null) for (let k = 0; k < r.watermarks.length; k++) levels[k] = r.watermarks[k]!.level;

  // Instance breaker.
  if ((parts & STEP_PARTS.breaker) !== 0) {
    const requests = t.up && finite(t.requests) ? Math.max(0, t.requests) : 0;
    obs.requests = requests;
    obs.failures = Math.min(requests, Math.max(0, (t.errors ?? 0) + (t.timeouts ?? 0)));
    obs.rtMs = requests > 0 && finite(t.rtMs) ? t.rtMs : null;
    obs.activeRequests = finite(t.activeRequests) ? t.activeRequests : null;
    obs.maxConcurrency = finite(t.maxConcurrency) ? t.maxConcurrency : null;
    const breakerStep = advanceBreaker(r.breaker, obs, now, policies.breaker, out !== null);
    if (breakerStep !== null) {
      if (out !== null) out.push({ machine: 'breaker', from: breakerStep.from, to: breakerStep.to, cause: breakerStep.cause, at: now, values: breakerStep.values });
      else if (breakerStep.to !== breakerStep.from) {
        counts!.breaker++;
        if (breakerStep.to === 'open') counts!.breakerOpen++;
      }
    }
  }
  return trigger;
}

const effectiveWeightOf = (r: InstanceRuntime, input: StepInput) => {
  const ramp = r.weight.ramp;
  return ramp === null ? NaN : effectiveAt(ramp, input.now, input.policies.weight.smoothingWindowS);
};

/** What a tick decided, without the snapshot of the runtime that stepInstance adds. */
export interface InstanceAdvance {
  effectiveWeight: number;
  recomputed: RecomputeTrigger | null;
  transitions: Transition[];
  stageLevels: WatermarkLevel[];
}

/**
 * The machines' part of stepInstance: advances `prev` in place by one tick and returns what it
 * decided. The snapshot stepInstance builds on top (states, times, inputs, ages) is about a third
 * of a step. `parts` (STEP_PARTS bits) limits the step to some machines: the others' state is
 * left as it is.
 */
export function advanceInstance(prev: InstanceRuntime, input: StepInput, parts: number = ALL_STEP_PARTS): InstanceAdvance {
  const transitions: Transition[] = [];
  const stageLevels: WatermarkLevel[] = new Array<WatermarkLevel>(prev.watermarks.length);
  const recomputed = advanceMachines(prev, input, parts, transitions, null, stageLevels);
  // No "Weight 16 → 16" rows: a transition that changes nothing is never produced.
  return { effectiveWeight: effectiveWeightOf(prev, input), recomputed, transitions: transitions.length === 0 ? transitions : transitions.filter(changesSomething), stageLevels };
}

/**
 * advanceInstance in the what-if replay's form: the same step of the same machines (the runtime
 * ends up the same, but for weight.explanation, which it neither builds nor updates), but its
 * transitions are added to `counts` instead of built with their words and values, and it
 * returns only the effective weight. The replay steps millions of ticks and reads nothing else.
 */
export function advanceCounted(prev: InstanceRuntime, input: StepInput, parts: number, counts: TransitionCounts): number {
  advanceMachines(prev, input, parts, null, counts, null);
  return effectiveWeightOf(prev, input);
}

/**
 * advanceCounted without the effective weight, for a draft that shares the weight part with the
 * published replay (server/domain/draft-step.ts): the same ramp at the same time under the same
 * weight policy, so the published replay's effective weight is the draft's.
 */
export function advanceCountedShared(prev: InstanceRuntime, input: StepInput, parts: number, counts: TransitionCounts): void {
  advanceMachines(prev, input, parts, null, counts, null);
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
