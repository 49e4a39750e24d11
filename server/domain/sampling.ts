// Weight inputs sampled on their own cadences (SPEC §3.1: CPU every 5 s, P95 every 3 s,
// connections every 10 s). Between samples the weight model sees the last sampled value, and
// the console shows how old it is.
import type { WeightPolicy } from './model';

export interface SampledInput {
  value: number | null;
  /** Epoch ms of the sample; null until the first one. */
  at: number | null;
}

export interface SampledInputs {
  cpu: SampledInput;
  p95: SampledInput;
  connections: SampledInput;
  /** Memory rides on the CPU cadence (host metrics are scraped together); used by exp-latency. */
  mem: SampledInput;
}

export type InputKey = 'cpu' | 'p95' | 'connections';

/**
 * Ticks are nominally aligned but may jitter by a few ms; without slack a 5 s cadence on 1 s
 * ticks could slip to 6 s. The slack stays below half a tick so a sample is never a tick early.
 */
export const SAMPLE_TOLERANCE_MS = 250;

export function sampleTolerance(tickMs: number | null): number {
  return tickMs !== null && tickMs > 0 ? Math.min(SAMPLE_TOLERANCE_MS, 0.4 * tickMs) : SAMPLE_TOLERANCE_MS;
}

export function initialSampled(): SampledInputs {
  return { cpu: { value: null, at: null }, p95: { value: null, at: null }, connections: { value: null, at: null }, mem: { value: null, at: null } };
}

/** Bits of `sampleInputs`' result: which inputs took a new sample this tick. */
export const FRESH = { cpu: 1, p95: 2, connections: 4, mem: 8 } as const;

function due(s: SampledInput, value: number | undefined, now: number, cadenceMs: number, toleranceMs: number): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  return s.at === null || now - s.at >= cadenceMs - toleranceMs;
}

function take(s: SampledInput, value: number | undefined, now: number, cadenceS: number, toleranceMs: number, bit: number): number {
  if (!due(s, value, now, cadenceS * 1000, toleranceMs)) return 0;
  s.value = value!;
  s.at = now;
  return bit;
}

/**
 * Refresh every input whose cadence has elapsed and whose value the telemetry carries; a missing
 * value keeps the old sample (aging) and is taken on the first later tick that has one. Updates
 * `s` in place (the live loop steps 10,000 instances a second) and returns the FRESH bits.
 */
export function sampleInputs(
  s: SampledInputs,
  telemetry: { cpuPct?: number; p95Ms?: number; connections?: number; memPct?: number },
  now: number,
  cadencesS: WeightPolicy['cadencesS'],
  toleranceMs = SAMPLE_TOLERANCE_MS,
): number {
  return (
    take(s.cpu, telemetry.cpuPct, now, cadencesS.cpu, toleranceMs, FRESH.cpu) |
    take(s.p95, telemetry.p95Ms, now, cadencesS.p95, toleranceMs, FRESH.p95) |
    take(s.connections, telemetry.connections, now, cadencesS.connections, toleranceMs, FRESH.connections) |
    take(s.mem, telemetry.memPct, now, cadencesS.cpu, toleranceMs, FRESH.mem)
  );
}

export function ageMs(s: SampledInput, now: number): number | null {
  return s.at === null ? null : Math.max(0, now - s.at);
}

export function inputAges(s: SampledInputs, now: number): Record<InputKey, number | null> {
  return { cpu: ageMs(s.cpu, now), p95: ageMs(s.p95, now), connections: ageMs(s.connections, now) };
}
