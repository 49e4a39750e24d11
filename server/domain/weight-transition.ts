// The effective weight walks linearly from where it was to a new target over the smoothing window
// (SPEC §3.1: 30 s), so the routing layer never sees a step change from a load signal.

export interface WeightRamp {
  from: number;
  target: number;
  /** Epoch ms the ramp started. */
  startedAt: number;
}

export function effectiveAt(ramp: WeightRamp, now: number, windowS: number): number {
  const span = windowS * 1000;
  if (!(span > 0) || now - ramp.startedAt >= span) return ramp.target;
  if (now <= ramp.startedAt) return ramp.from;
  return ramp.from + ((ramp.target - ramp.from) * (now - ramp.startedAt)) / span;
}

/**
 * The ramp after a new target at `now`: it starts from the current effective value, so a target
 * that changes mid-ramp never makes the effective weight jump. An unchanged target keeps the
 * running ramp (restarting it would slow the walk down for nothing).
 */
export function retarget(ramp: WeightRamp | null, target: number, now: number, windowS: number): WeightRamp {
  if (ramp === null) return { from: target, target, startedAt: now };
  if (ramp.target === target) return ramp;
  return { from: effectiveAt(ramp, now, windowS), target, startedAt: now };
}

/** A ramp that is already at `value` (no smoothing: first computation, drain, instance down). */
export function settledAt(value: number, now: number): WeightRamp {
  return { from: value, target: value, startedAt: now };
}

/** retarget moving `ramp` itself (the what-if replay's count-only step: no ramp per recompute). */
export function retargetInPlace(ramp: WeightRamp, target: number, now: number, windowS: number): void {
  if (ramp.target === target) return;
  ramp.from = effectiveAt(ramp, now, windowS);
  ramp.target = target;
  ramp.startedAt = now;
}

/** settledAt moving `ramp` itself; returns it. */
export function settleInPlace(ramp: WeightRamp, value: number, now: number): WeightRamp {
  ramp.from = value;
  ramp.target = value;
  ramp.startedAt = now;
  return ramp;
}
