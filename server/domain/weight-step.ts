// The weight part of an instance's step (SPEC §3.1): which sampled input or mode change triggers
// a recompute, the recompute itself, and whether it is a transition worth a row.
import type { InstanceRuntime, WeightMode } from './instance-runtime';
import type { FleetPolicies, RecomputeTrigger, Transition, WeightExplanation } from './model';
import { FRESH, type InputKey } from './sampling';
import { triggerChangesState } from './transition-filter';
import { retarget, settledAt } from './weight-transition';
import { computeWeight, describeTrigger, explanationValues } from './weights';

const THRESHOLD_KEY = { cpu: 'cpuPct', p95: 'p95Ms', connections: 'connections' } as const;

/**
 * The threshold trigger among this tick's fresh samples: a new crossing outranks an input that
 * stays above (recomputed on each of its samples), which outranks one falling back below; ties go
 * to the input furthest past its threshold. Updates `above` for every fresh input.
 */
export function thresholdTrigger(r: InstanceRuntime, fresh: number, th: FleetPolicies['weight']['thresholds']): RecomputeTrigger | null {
  // Most ticks take no sample of these inputs: nothing to compare.
  if ((fresh & INPUT_BITS) === 0) return null;
  clearBest();
  // P95, CPU, connections: on equal rank and score the first stays. One by one with constant keys
  // (a keyed loop was among the step's hottest lines in a what-if replay).
  if ((fresh & FRESH.p95) !== 0) r.above.p95 = weigh('p95', r.sampled.p95.value!, th.p95Ms, r.above.p95);
  if ((fresh & FRESH.cpu) !== 0) r.above.cpu = weigh('cpu', r.sampled.cpu.value!, th.cpuPct, r.above.cpu);
  if ((fresh & FRESH.connections) !== 0) r.above.connections = weigh('connections', r.sampled.connections.value!, th.connections, r.above.connections);
  if (best === null) return null;
  const direction = bestRank === 2 ? 'up' : bestRank === 1 ? 'held' : 'down';
  return { kind: 'threshold', input: best, direction, value: r.sampled[best].value!, threshold: th[THRESHOLD_KEY[best]] };
}

const INPUT_BITS = FRESH.p95 | FRESH.cpu | FRESH.connections;
// thresholdTrigger's running best (single-threaded, reset at each call).
let best: InputKey | null = null;
let bestRank = -1;
let bestScore = 0;

function clearBest() {
  best = null;
  bestRank = -1;
  bestScore = 0;
}

/** One fresh input against its threshold: keeps it if it outranks the best so far; returns whether it is above. */
function weigh(key: InputKey, value: number, limit: number, was: boolean): boolean {
  const above = value > limit;
  if (!above && !was) return above;
  const rank = above ? (was ? 1 : 2) : 0;
  const score = limit > 0 ? value / limit : value;
  if (rank > bestRank || (rank === bestRank && score > bestScore)) {
    best = key;
    bestRank = rank;
    bestScore = score;
  }
  return above;
}

export function decideTrigger(
  r: InstanceRuntime,
  input: { now: number; policies: FleetPolicies; forceRecompute?: 'policy' },
  crossing: RecomputeTrigger | null,
  mode: WeightMode,
  toleranceMs: number,
): RecomputeTrigger | null {
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

/**
 * Recomputes the target for `trigger` (in place) and tells whether that is a transition: only a
 * recompute that changes something is (changesSomething, which the step applies to every
 * machine's). The transition's words are built by weightTransition, only for the live loop.
 */
export function recompute(r: InstanceRuntime, trigger: RecomputeTrigger, mode: WeightMode, wp: FleetPolicies['weight'], now: number): boolean {
  const w = r.weight;
  const s = r.sampled;
  const old = w.target;
  let target = 0;
  let terms: WeightExplanation['terms'] = [];
  if (mode === 'ready') {
    ({ target, terms } = computeWeight(wp, { cpuPct: s.cpu.value, p95Ms: s.p95.value, connections: s.connections.value, memPct: s.mem.value }));
    // Nothing to smooth from on a cold start; otherwise walk from the current effective value.
    w.ramp = w.ramp === null ? settledAt(target, now) : retarget(w.ramp, target, now, wp.smoothingWindowS);
    w.lastFullRecomputeAt = trigger.kind === 'initial' ? now - periodicOffsetMs(r.periodicPhase, wp.periodicRecomputeS) : now;
  } else {
    // Drain and health-check failure take the instance out at once, as a load balancer does;
    // smoothing is for load signals. The way back in ramps up (slow start).
    w.ramp = settledAt(0, now);
  }
  w.mode = mode;
  w.target = target;
  w.explanation = { model: wp.model, base: Math.max(0, wp.base), terms, target, trigger, computedAt: now };
  // The transition reads "from → to" as String(old) and String(target): for numbers those are
  // equal exactly when the numbers are (or both are NaN), without building the strings.
  const same = old !== null && (old === target || (old !== old && target !== target));
  return !same || triggerChangesState(trigger);
}

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
