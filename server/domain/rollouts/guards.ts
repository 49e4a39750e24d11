// Topology guards (SPEC §6.3): a step that raises canary traffic is held while a zone the canary
// runs in has an instance at L2 or above, an open breaker, or a stage buffer at or above 85 %.
// The input is what the latest telemetry sample of each instance holds (TelemetrySample:
// degradation, breaker, stageFill), so the reconciler and the preview read the same thing.
import { STAGES, type BreakerState, type StageName } from '../model';

export interface GuardInstance {
  name: string;
  zone: string;
  /** Degradation level L0..L3 (TelemetrySample.degradation). */
  level: number;
  /** The instance breaker (no stage) and any per-stage breakers (the ingress is the access stage's). */
  breakers: ReadonlyArray<{ stage?: StageName; state: BreakerState }>;
  /** Buffer fill 0..1 per stage in STAGES order (TelemetrySample.stageFill); shorter when unknown. */
  stageFill: readonly number[];
}

export interface GuardThresholds {
  /** Hold at this degradation level or above. */
  level: number;
  /** Hold when a stage buffer is at or above this fill, in %. */
  bufferPct: number;
}

export const DEFAULT_GUARD_THRESHOLDS: GuardThresholds = { level: 2, bufferPct: 85 };

export const GUARDS = ['degradation', 'breaker', 'buffer'] as const;
export type GuardName = (typeof GUARDS)[number];

export interface GuardHold {
  guard: GuardName;
  zone: string;
  instance: string;
  stage?: StageName;
  /** The live value: the level, the buffer fill in whole % (rounded down), 1 for an open breaker. */
  value: number;
  /** The value that holds: the level, the fill in %, 1 (open) for a breaker. */
  threshold: number;
  /** "eu-west-b: order-api-b-3 at L2 (guard: L2 or above)". */
  words: string;
}

/**
 * Every guard that holds a canary increase today, for the zones the canary runs in; [] = go.
 * Ordered by zone, then instance, then degradation / breaker / buffer, so the first hold is stable
 * between ticks (the rollout shows it) and a list compares equal when nothing changed.
 */
export function evaluateGuards(canaryZones: readonly string[], instances: readonly GuardInstance[], thresholds: GuardThresholds = DEFAULT_GUARD_THRESHOLDS): GuardHold[] {
  const zones = new Set(canaryZones);
  const holds: GuardHold[] = [];
  const sorted = instances.filter((i) => zones.has(i.zone)).sort((a, b) => (a.zone === b.zone ? cmp(a.name, b.name) : cmp(a.zone, b.zone)));
  for (const i of sorted) {
    const where = `${i.zone}: ${i.name}`;
    if (Number.isFinite(i.level) && i.level >= thresholds.level) {
      holds.push({ guard: 'degradation', zone: i.zone, instance: i.name, value: i.level, threshold: thresholds.level, words: `${where} at L${i.level} (guard: L${thresholds.level} or above)` });
    }
    for (const b of i.breakers) {
      if (b.state !== 'open') continue;
      const which = b.stage ? `${b.stage} breaker` : 'breaker';
      holds.push({ guard: 'breaker', zone: i.zone, instance: i.name, ...(b.stage ? { stage: b.stage } : {}), value: 1, threshold: 1, words: `${where} ${which} open (guard: an open breaker)` });
    }
    i.stageFill.forEach((fill, s) => {
      const stage = STAGES[s];
      // To 0.01 %: 0.29 × 100 is 28.999…, which must still meet a 29 % threshold.
      const exact = Math.round(fill * 10_000) / 100;
      if (!stage || !Number.isFinite(exact) || exact < thresholds.bufferPct) return;
      const pct = Math.floor(exact);
      holds.push({ guard: 'buffer', zone: i.zone, instance: i.name, stage, value: pct, threshold: thresholds.bufferPct, words: `${where} ${stage} buffer ${pct} % (guard: ≥ ${thresholds.bufferPct} %)` });
    });
  }
  return holds;
}

/**
 * A guard input from an instance's newest TelemetrySample (degradation, breaker, stageFill) and
 * its registry name and zone. The sample holds the instance breaker only (the ingress isolation is
 * a transition, not a sample column), so that is the breaker checked.
 */
export function guardInstanceFromSample(s: { name: string; zone: string; degradation: number; breaker: string; stageFill: readonly number[] }): GuardInstance {
  const state: BreakerState = s.breaker === 'open' || s.breaker === 'half-open' ? s.breaker : 'closed';
  return { name: s.name, zone: s.zone, level: s.degradation, breakers: [{ state }], stageFill: s.stageFill };
}

/** The holds in one line for the rollout's state detail: the first in full, then how many more. */
export function holdsInWords(holds: readonly GuardHold[]): string {
  if (holds.length === 0) return '';
  const more = holds.length - 1;
  return `Held by a guard: ${holds[0]!.words}${more > 0 ? ` (and ${more} more)` : ''}`;
}

/** The zones the canary version runs in: the guards watch these. */
export function canaryZones(instances: ReadonlyArray<{ zone: string; appVersion: string }>, canaryVersion: string): string[] {
  return [...new Set(instances.filter((i) => i.appVersion === canaryVersion).map((i) => i.zone))].sort(cmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
