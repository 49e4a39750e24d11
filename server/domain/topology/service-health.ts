// A service's health verdict on the service graph (issue 14). SPEC §3 sets thresholds per instance
// (buffer watermarks, breaker, degradation ladder) and per request (P95), none for a service as a
// whole, so the service rule is ours: a service is unhealthy (red) only when a meaningful share of
// its instances is unhealthy, or its traffic fails; a few unhealthy instances make it a warning
// (amber). At 10,000 instances one degraded instance of 2,502 painted the whole service red, the
// same red as a service that is down. Every count is said with its denominator ("1 of 2,502").

import { defaultWatermarkPolicy, defaultWeightPolicy } from '../policy-defaults';

export type Health = 'ok' | 'warn' | 'bad';

/** From this share (0..1) of its instances unhealthy (down, degraded, breaker open) a service is bad. */
export const UNHEALTHY_SHARE = 0.1;
/** Error share (0..1) of the service's requests from which it is a warning, and from which it is bad. */
export const WARN_ERROR_RATE = 0.01;
export const BAD_ERROR_RATE = 0.05;
/** The weight policy's default P95 threshold (ms): above it a service is slow. */
export const SLOW_P95_MS = defaultWeightPolicy.thresholds.p95Ms;
/** From this stage fill (0..1) a stage is backpressured: the default policy's degrade watermark. */
export const BACKPRESSURE_FILL = defaultWatermarkPolicy.degradePct / 100;

export interface HealthCounts {
  /** False before the service's first sample: nothing to judge yet. */
  hasTelemetry: boolean;
  instances: number;
  up: number;
  /** Distinct instances down (or without a sample), above L0, or behind an open breaker. */
  unhealthy: number;
  /** Instances above L0, and at L2 (stage-broken) or above. */
  degraded: number;
  severelyDegraded: number;
  maxDegradation: number | null;
  openBreakers: number;
  halfOpenBreakers: number;
  backpressured: number;
  /** 0..100 of the service's requests; null without traffic. */
  errorPercent: number | null;
  p95Ms: number | null;
  faultedInstances: number;
}

export interface HealthVerdict {
  health: Health;
  /** Why, in words, the most severe first ("1 of 2,502 degraded (L2)"); [] when ok. */
  reasons: string[];
  /** The first reason, short, for the node ("1 of 2,502 degraded"); "2,502 of 2,502 up" when ok, '' without telemetry. */
  headline: string;
}

/** "2,502": the same separators as the rest of the console. */
export const count = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${x >= 10 ? Math.round(x) : Math.round(x * 10) / 10} %`;

/** Whether `n` of `of` is a meaningful share (≥ UNHEALTHY_SHARE); integer maths, so 1 of 10 is exactly 10 %. */
export const meaningfulShare = (n: number, of: number) => of > 0 && n > 0 && n * 100 >= UNHEALTHY_SHARE * 100 * of;

type Said = { long: string; short: string };

export function serviceHealth(c: HealthCounts): HealthVerdict {
  if (!c.hasTelemetry) return { health: 'ok', reasons: [], headline: '' };
  const bad: Said[] = [];
  const warn: Said[] = [];
  const of = (n: number) => `${count(n)} of ${count(c.instances)}`;
  const say = (long: string, short = long): Said => ({ long, short });
  const down = Math.max(0, c.instances - c.up);
  const shareBad = meaningfulShare(c.unhealthy, c.instances);
  if (c.instances > 0 && c.up === 0) bad.push(say(`every instance is down (0 of ${count(c.instances)} up)`, `0 of ${count(c.instances)} up`));
  else if (shareBad) {
    bad.push(say(`${of(c.unhealthy)} instances unhealthy (${pct((100 * c.unhealthy) / c.instances)}, from ${Math.round(UNHEALTHY_SHARE * 100)} % the service is)`, `${of(c.unhealthy)} instances`));
  }
  // The parts, each with its own count; they overlap (a degraded instance may also be behind an open breaker).
  const parts: Said[] = [];
  if (down > 0 && c.up > 0) parts.push(say(`${of(down)} down`));
  if (c.openBreakers > 0) parts.push(say(`${of(c.openBreakers)} breakers open`));
  if (c.degraded > 0) {
    const level = (c.maxDegradation ?? 0) >= 2 ? (c.severelyDegraded === c.degraded ? ` (L${c.maxDegradation})` : ` (up to L${c.maxDegradation})`) : ' (L1)';
    parts.push(say(`${of(c.degraded)} degraded${level}`, `${of(c.degraded)} degraded`));
  }
  // Several kinds of trouble on a few instances: the node says how many instances, the reasons which.
  if (!shareBad && parts.length > 1) warn.push(say(parts[0]!.long, `${of(c.unhealthy)} unhealthy`), ...parts.slice(1));
  else (shareBad ? bad : warn).push(...parts);
  if (c.errorPercent !== null && c.errorPercent >= BAD_ERROR_RATE * 100) bad.push(say(`errors ${pct(c.errorPercent)} of requests`, `errors ${pct(c.errorPercent)}`));
  else if (c.errorPercent !== null && c.errorPercent >= WARN_ERROR_RATE * 100) warn.push(say(`errors ${pct(c.errorPercent)} of requests`, `errors ${pct(c.errorPercent)}`));
  if (c.halfOpenBreakers > 0) warn.push(say(`${of(c.halfOpenBreakers)} breakers half-open`));
  if (c.backpressured > 0) warn.push(say(`${of(c.backpressured)} backpressured (a stage ≥ ${Math.round(BACKPRESSURE_FILL * 100)} % full)`, `${of(c.backpressured)} backpressured`));
  if (c.p95Ms !== null && c.p95Ms > SLOW_P95_MS) warn.push(say(`P95 ${Math.round(c.p95Ms)} ms over ${SLOW_P95_MS} ms`, `P95 ${Math.round(c.p95Ms)} ms`));
  if (c.faultedInstances > 0) warn.push(say(`${of(c.faultedInstances)} with injected faults`, `${of(c.faultedInstances)} with faults`));
  const all = [...bad, ...warn];
  const health: Health = bad.length ? 'bad' : warn.length ? 'warn' : 'ok';
  return { health, reasons: all.map((r) => r.long), headline: all[0]?.short ?? `${of(c.up)} up` };
}
