// Buffers, backpressure and degradation (SPEC §3.3): the watermark level of each stage buffer, the
// per-instance ladder L0 → L3 with hysteresis on the way down, and the ingress buffer isolation.
import type { BreakerState, DegradationLevel, WatermarkPolicy } from './model';

export type WatermarkLevel = 'normal' | 'elevated' | 'degraded' | 'broken';

export interface StageWatermark {
  level: WatermarkLevel;
  /** Epoch ms since which the fill has been at or above the break watermark; null when below. */
  highSince: number | null;
}

export function newWatermark(): StageWatermark {
  return { level: 'normal', highSince: null };
}

function bandOf(pct: number, p: WatermarkPolicy): WatermarkLevel {
  return pct >= p.degradePct ? 'degraded' : pct >= p.elevatedPct ? 'elevated' : 'normal';
}

/**
 * Update one stage's watermark (in place) with its fill (0..1) at `now`. A broken stage stays
 * broken while idle heartbeats drain it: only a fill back in the normal band (below the elevated
 * watermark) ends the break, so a stage hovering around 95 % cannot flap between broken and not.
 */
export function advanceWatermark(w: StageWatermark, fill: number, now: number, p: WatermarkPolicy): WatermarkLevel {
  const pct = fill * 100;
  if (pct >= p.breakPct) w.highSince ??= now;
  else w.highSince = null;
  if (w.level === 'broken') {
    if (pct < p.elevatedPct) w.level = 'normal';
    return w.level;
  }
  w.level = w.highSince !== null && now - w.highSince >= p.breakHoldS * 1000 ? 'broken' : bandOf(pct, p);
  return w.level;
}

export interface LadderCause {
  level: DegradationLevel;
  broken: number;
  degraded: number;
}

/** The ladder level the stages call for right now, before hysteresis. */
export function ladderCause(stages: ReadonlyArray<{ readonly level: WatermarkLevel }>, p: WatermarkPolicy): LadderCause {
  let broken = 0;
  let degraded = 0;
  for (const { level: l } of stages) {
    if (l === 'broken') broken++;
    if (l === 'broken' || l === 'degraded') degraded++;
  }
  return { level: levelFor(broken, degraded, p), broken, degraded };
}

/** The ladder level for `broken` stages and `degraded` ones (broken included), before hysteresis. */
export const levelFor = (broken: number, degraded: number, p: WatermarkPolicy): DegradationLevel =>
  broken > 0 && broken >= p.routeSwitchMinBrokenStages ? 3 : broken > 0 ? 2 : degraded > 0 ? 1 : 0;

/** ladderCause's level alone, without an object per call (the step asks every tick). */
export function ladderLevel(stages: ReadonlyArray<{ readonly level: WatermarkLevel }>, p: WatermarkPolicy): DegradationLevel {
  let broken = 0;
  let degraded = 0;
  for (let k = 0; k < stages.length; k++) {
    const l = stages[k]!.level;
    if (l === 'broken') broken++;
    if (l === 'broken' || l === 'degraded') degraded++;
  }
  return levelFor(broken, degraded, p);
}

export interface Ladder {
  level: DegradationLevel;
  /** Epoch ms since which the cause has been below the current level; null while it holds. */
  calmSince: number | null;
}

export function newLadder(level: DegradationLevel = 0): Ladder {
  return { level, calmSince: null };
}

export interface LadderStep {
  from: DegradationLevel;
  to: DegradationLevel;
  /** Seconds the cause had been gone, for a step down. */
  heldS: number;
}

/**
 * Climb at once to what the cause calls for; come down one level at a time, each only after the
 * cause has stayed below the current level for `stepDownHoldS`, so the ladder does not flap.
 * Updates `l` in place; returns the step taken, if any.
 */
export function advanceLadder(l: Ladder, cause: DegradationLevel, now: number, p: WatermarkPolicy): LadderStep | null {
  if (cause >= l.level) {
    l.calmSince = null;
    if (cause === l.level) return null;
    const step = { from: l.level, to: cause, heldS: 0 };
    l.level = cause;
    return step;
  }
  l.calmSince ??= now;
  const held = now - l.calmSince;
  if (held < p.stepDownHoldS * 1000) return null;
  const from = l.level;
  l.level = (from - 1) as DegradationLevel;
  // The next level down needs its own full hold.
  l.calmSince = cause < l.level ? now : null;
  return { from, to: l.level, heldS: held / 1000 };
}

export const LEVEL_NAMES = ['L0', 'L1', 'L2', 'L3'] as const;
export const LEVEL_LABELS = ['normal', 'field-degraded', 'stage-broken', 'rerouted'] as const;

// ── ingress buffer ──────────────────────────────────────────────────────────────────────────

/** Exponential backoff of the isolated ingress buffer's retries (SPEC gives no numbers). */
export const INGRESS_RETRY_BASE_MS = 1000;
export const INGRESS_RETRY_MAX_MS = 32_000;

/**
 * The ingress buffer as a breaker of the access stage: closed (writes flow), open (isolated after
 * consecutive ticks with write timeouts), half-open (a retry is under way; the next tick judges it).
 */
export interface IngressState {
  state: BreakerState;
  /** Consecutive ticks with write timeouts while closed. */
  timeoutTicks: number;
  /** Retries that failed since isolation (the backoff exponent). */
  attempt: number;
  /** Epoch ms of the next retry while open. */
  retryAt: number | null;
}

export function newIngress(): IngressState {
  return { state: 'closed', timeoutTicks: 0, attempt: 0, retryAt: null };
}

export function retryDelayMs(attempt: number): number {
  return Math.min(INGRESS_RETRY_MAX_MS, INGRESS_RETRY_BASE_MS * 2 ** attempt);
}

export interface IngressStep {
  from: BreakerState;
  to: BreakerState;
  cause: string;
}

// What a step returns when its words are not wanted (the what-if replay only counts steps).
const BARE_INGRESS = {
  isolate: Object.freeze({ from: 'closed', to: 'open', cause: '' }),
  retry: Object.freeze({ from: 'open', to: 'half-open', cause: '' }),
  clean: Object.freeze({ from: 'half-open', to: 'closed', cause: '' }),
  failed: Object.freeze({ from: 'half-open', to: 'open', cause: '' }),
} as const satisfies Record<string, IngressStep>;

/**
 * Advance the ingress state (in place) with this tick's write timeouts. Without `describe` the
 * step's cause is left empty (a shared object): the state moves the same.
 */
export function advanceIngress(s: IngressState, writeTimeouts: number, now: number, p: WatermarkPolicy, describe = true): IngressStep | null {
  const timedOut = writeTimeouts > 0;
  switch (s.state) {
    case 'closed':
      s.timeoutTicks = timedOut ? s.timeoutTicks + 1 : 0;
      if (s.timeoutTicks < p.ingress.timeoutsToIsolate) return null;
      s.state = 'open';
      s.attempt = 0;
      s.retryAt = now + retryDelayMs(0);
      if (!describe) return BARE_INGRESS.isolate;
      return { from: 'closed', to: 'open', cause: `ingress buffer isolated: write timeouts (> ${p.ingress.writeTimeoutMs} ms) in ${s.timeoutTicks} consecutive ticks` };
    case 'open':
      if (s.retryAt !== null && now < s.retryAt) return null;
      s.state = 'half-open';
      s.retryAt = null;
      if (!describe) return BARE_INGRESS.retry;
      return { from: 'open', to: 'half-open', cause: `ingress retry ${s.attempt + 1} after ${retryDelayMs(s.attempt) / 1000} s backoff` };
    case 'half-open':
      if (!timedOut) {
        s.state = 'closed';
        s.timeoutTicks = 0;
        s.attempt = 0;
        if (!describe) return BARE_INGRESS.clean;
        return { from: 'half-open', to: 'closed', cause: 'ingress retry clean: buffer back in service' };
      }
      s.state = 'open';
      s.attempt++;
      s.retryAt = now + retryDelayMs(s.attempt);
      if (!describe) return BARE_INGRESS.failed;
      return { from: 'half-open', to: 'open', cause: `ingress retry failed (${writeTimeouts} write timeouts): next retry in ${retryDelayMs(s.attempt) / 1000} s` };
  }
}
