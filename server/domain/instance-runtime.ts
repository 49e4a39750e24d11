// The state the live loop carries for one instance from one tick to the next, and where it starts:
// fresh, or resuming from the last persisted sample (a new leader, a what-if replay).
import { newBreaker, type BreakerRuntime } from './breaker';
import { newIngress, newLadder, newWatermark, type IngressState, type Ladder, type StageWatermark } from './degradation';
import { STAGES, type BreakerState, type DegradationLevel, type WeightExplanation } from './model';
import { initialSampled, type InputKey, type SampledInput, type SampledInputs } from './sampling';
import { isStageState, newStageMachine, type StageMachine } from './stage-machine';
import { settledAt, type WeightRamp } from './weight-transition';

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
  /**
   * Where, as a fraction of the periodic recompute interval, this instance's periodic schedule
   * sits (0 when unset). A fleet whose runtimes all start in one tick would otherwise recompute
   * every weight in that same tick every 30 s: at 10,000 instances ~8,000 weight transitions and
   * weight writes in one tick and ~200 in the others. Only the first computation uses it (it
   * dates the schedule back by this share of the interval); from then on the schedule runs from
   * the last full recompute, which the samples record, so a replay resumes it as it was.
   */
  periodicPhase?: number;
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

export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const copyInput = (s: SampledInput): SampledInput => ({ value: s.value, at: s.at });

/**
 * A copy of `s` (the runtime updates its own in place). Field by field, not structuredClone: the
 * what-if preview starts two runtimes per instance, 20,000 at 10,000 instances, and a
 * structuredClone each was most of a runtime's ~10 µs.
 */
const copySampled = (s: SampledInputs): SampledInputs => ({ cpu: copyInput(s.cpu), p95: copyInput(s.p95), connections: copyInput(s.connections), mem: copyInput(s.mem) });

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
    sampled: restore?.sampled ? copySampled(restore.sampled) : initialSampled(),
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
