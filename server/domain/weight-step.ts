// The weight part of an instance's step (SPEC §3.1): which sampled input or mode change triggers
// a recompute, the recompute itself, and whether it is a transition worth a row.
import type { InstanceRuntime, WeightMode } from './instance-runtime';
import type { FleetPolicies, RecomputeTrigger, Transition, WeightExplanation } from './model';
import { FRESH, type InputKey } from './sampling';
import { triggerChangesState } from './transition-filter';
import { retarget, retargetInPlace, settledAt, settleInPlace } from './weight-transition';
import { describeTrigger, explanationValues, weightTarget } from './weights';

const THRESHOLD_KEY = { cpu: 'cpuPct', p95: 'p95Ms', connections: 'connections' } as const;

/**
 * The threshold trigger among this tick's fresh samples: a new crossing outranks an input that
 * stays above (recomputed on each of its samples), which outranks one falling back below; ties go
 * to the input furthest past its threshold. Updates `above` for every fresh input.
 */
export function thresholdTrigger(r: InstanceRuntime, fresh: number, th: FleetPolicies['weight']['thresholds']): RecomputeTrigger | null {
  const best = thresholdBest(r, fresh, th);
  if (best < 0) return null;
  const input = INPUT_KEYS[best & 3]!;
  const rank = best >> 2;
  const direction = rank === 2 ? 'up' : rank === 1 ? 'held' : 'down';
  return { kind: 'threshold', input, direction, value: r.sampled[input].value!, threshold: th[THRESHOLD_KEY[input]] };
}

const INPUT_BITS = FRESH.p95 | FRESH.cpu | FRESH.connections;
/** thresholdBest's inputs, in the order they are weighed. */
const INPUT_KEYS: readonly InputKey[] = ['p95', 'cpu', 'connections'];
/** Rank of a threshold crossing: 2 a new crossing, 1 still above, 0 fell back below, -1 no trigger. */
const rankOf = (above: boolean, was: boolean) => (above ? (was ? 1 : 2) : was ? 0 : -1);
const scoreOf = (value: number, limit: number) => (limit > 0 ? value / limit : value);
const outranks = (rank: number, score: number, bestRank: number, bestScore: number) => rank >= 0 && (rank > bestRank || (rank === bestRank && score > bestScore));

/**
 * thresholdTrigger as a number, for the replay's count-only step: -1 when no input triggers,
 * else rank * 4 + the input's index in INPUT_KEYS. Updates `above` for every fresh input.
 * P95, CPU, connections: on equal rank and score the first stays. One by one with constant keys
 * (a keyed loop was among the step's hottest lines in a what-if replay).
 */
export function thresholdBest(r: InstanceRuntime, fresh: number, th: FleetPolicies['weight']['thresholds']): number {
  // Most ticks take no sample of these inputs: nothing to compare.
  if ((fresh & INPUT_BITS) === 0) return -1;
  let best = -1;
  let bestRank = -1;
  let bestScore = 0;
  const s = r.sampled;
  if ((fresh & FRESH.p95) !== 0) {
    const value = s.p95.value!;
    const above = value > th.p95Ms;
    const rank = rankOf(above, r.above.p95);
    const score = scoreOf(value, th.p95Ms);
    if (outranks(rank, score, bestRank, bestScore)) {
      best = rank * 4;
      bestRank = rank;
      bestScore = score;
    }
    r.above.p95 = above;
  }
  if ((fresh & FRESH.cpu) !== 0) {
    const value = s.cpu.value!;
    const above = value > th.cpuPct;
    const rank = rankOf(above, r.above.cpu);
    const score = scoreOf(value, th.cpuPct);
    if (outranks(rank, score, bestRank, bestScore)) {
      best = rank * 4 + 1;
      bestRank = rank;
      bestScore = score;
    }
    r.above.cpu = above;
  }
  if ((fresh & FRESH.connections) !== 0) {
    const value = s.connections.value!;
    const above = value > th.connections;
    const rank = rankOf(above, r.above.connections);
    const score = scoreOf(value, th.connections);
    if (outranks(rank, score, bestRank, bestScore)) best = rank * 4 + 2;
    r.above.connections = above;
  }
  return best;
}

/** decideTrigger's decision as a number (decideCode), for the count-only step. */
export const DECIDED = { none: 0, down: 1, admin: 2, initial: 3, up: 4, adminReady: 5, crossing: 6, policy: 7, periodic: 8 } as const;

/**
 * What triggers a recompute this tick (`crossing`: thresholdBest's, -1 for none), as a DECIDED
 * code: the rule decideTrigger builds its trigger from.
 */
export function decideCode(r: InstanceRuntime, input: { now: number; policies: FleetPolicies; forceRecompute?: 'policy' }, crossing: number, mode: WeightMode, toleranceMs: number): number {
  const prev = r.weight.mode;
  if (mode !== 'ready') {
    if (prev === mode) return DECIDED.none;
    return mode === 'down' ? DECIDED.down : DECIDED.admin;
  }
  if (prev === null) return DECIDED.initial;
  if (prev === 'down') return DECIDED.up;
  if (prev !== 'ready') return DECIDED.adminReady;
  // A crossing in the same tick as a policy change is the better explanation (and is always
  // recorded); the recompute uses the new policy either way.
  if (crossing >= 0) return DECIDED.crossing;
  if (input.forceRecompute === 'policy') return DECIDED.policy;
  const everyS = input.policies.weight.periodicRecomputeS;
  const last = r.weight.lastFullRecomputeAt;
  if (last === null || input.now - last >= everyS * 1000 - toleranceMs) return DECIDED.periodic;
  return DECIDED.none;
}

export function decideTrigger(
  r: InstanceRuntime,
  input: { now: number; policies: FleetPolicies; forceRecompute?: 'policy' },
  crossing: RecomputeTrigger | null,
  mode: WeightMode,
  toleranceMs: number,
): RecomputeTrigger | null {
  switch (decideCode(r, input, crossing === null ? -1 : 0, mode, toleranceMs)) {
    case DECIDED.down:
      return { kind: 'down' };
    case DECIDED.admin:
      return { kind: 'admin', state: mode as Exclude<WeightMode, 'ready' | 'down'> };
    case DECIDED.initial:
      return { kind: 'initial' };
    case DECIDED.up:
      return { kind: 'up' };
    case DECIDED.adminReady:
      return { kind: 'admin', state: 'ready' };
    case DECIDED.crossing:
      return crossing;
    case DECIDED.policy:
      return { kind: 'policy' };
    case DECIDED.periodic:
      return { kind: 'periodic', everyS: input.policies.weight.periodicRecomputeS };
    default:
      return null;
  }
}

/**
 * Recomputes the target for `trigger` (in place) and tells whether that is a transition: only a
 * recompute that changes something is (changesSomething, which the step applies to every
 * machine's). The transition's words are built by weightTransition, only for the live loop.
 */
export function recompute(r: InstanceRuntime, trigger: RecomputeTrigger, mode: WeightMode, wp: FleetPolicies['weight'], now: number): boolean {
  const w = r.weight;
  const old = w.target;
  const terms: WeightExplanation['terms'] = [];
  const target = newTarget(r, trigger.kind === 'initial', mode, wp, now, terms);
  // Nothing to smooth from on a cold start; otherwise walk from the current effective value.
  // Drain and health-check failure take the instance out at once, as a load balancer does;
  // smoothing is for load signals. The way back in ramps up (slow start).
  w.ramp = mode !== 'ready' || w.ramp === null ? settledAt(target, now) : retarget(w.ramp, target, now, wp.smoothingWindowS);
  w.explanation = { model: wp.model, base: Math.max(0, wp.base), terms, target, trigger, computedAt: now };
  return !sameTarget(old, target) || triggerChangesState(trigger);
}

/**
 * recompute in the replay's count-only form, for a DECIDED code (`crossing`: thresholdBest's):
 * the same target, ramp, mode and schedule, the ramp moved in place, and no explanation (nothing
 * in the replay reads it; weight.explanation keeps whatever it held).
 */
export function recomputeCounted(r: InstanceRuntime, decided: number, crossing: number, mode: WeightMode, wp: FleetPolicies['weight'], now: number): boolean {
  const w = r.weight;
  const old = w.target;
  const target = newTarget(r, decided === DECIDED.initial, mode, wp, now, null);
  if (mode !== 'ready' || w.ramp === null) w.ramp = w.ramp === null ? settledAt(target, now) : settleInPlace(w.ramp, target, now);
  else retargetInPlace(w.ramp, target, now, wp.smoothingWindowS);
  // triggerChangesState by code: a threshold trigger "held" (rank 1) and periodic and policy
  // recomputes change nothing by themselves.
  const changesState = decided === DECIDED.crossing ? crossing >> 2 !== 1 : decided !== DECIDED.policy && decided !== DECIDED.periodic;
  return !sameTarget(old, target) || changesState;
}

/** The new target (in place, with mode and schedule; terms pushed to `terms` when given), the ramp left to the caller. */
function newTarget(r: InstanceRuntime, initial: boolean, mode: WeightMode, wp: FleetPolicies['weight'], now: number, terms: WeightExplanation['terms'] | null): number {
  const w = r.weight;
  const s = r.sampled;
  let target = 0;
  if (mode === 'ready') {
    target = weightTarget(wp, s.cpu.value, s.p95.value, s.connections.value, s.mem.value, terms);
    w.lastFullRecomputeAt = initial ? now - periodicOffsetMs(r.periodicPhase, wp.periodicRecomputeS) : now;
  }
  w.mode = mode;
  w.target = target;
  return target;
}

/**
 * The transition reads "from → to" as String(old) and String(target): for numbers those are
 * equal exactly when the numbers are (or both are NaN), without building the strings.
 */
const sameTarget = (old: number | null, target: number) => old !== null && (old === target || (old !== old && target !== target));

/**
 * How far back a first computation dates the periodic schedule (see InstanceRuntime.periodicPhase):
 * whole seconds, so on whole-second ticks the first periodic recompute lands on a tick, spread
 * evenly over the interval.
 */
export function periodicOffsetMs(phase: number | undefined, everyS: number): number {
  if (phase === undefined || !(phase > 0 && phase < 1) || !(everyS > 0)) return 0;
  return Math.floor(phase * everyS) * 1000;
}

/** The transition of the recompute that just ran (`old`: the target before it). */
export function weightTransition(r: InstanceRuntime, old: number | null, now: number): Transition {
  const explanation = r.weight.explanation!;
  const trigger = explanation.trigger;
  return { machine: 'weight', from: old === null ? 'none' : String(old), to: String(explanation.target), cause: describeTrigger(trigger), at: now, values: explanationValues(explanation), trigger };
}
