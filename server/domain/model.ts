// The platform model of SPEC §3 as types: what a platform reports per instance and tick, and what
// the domain derives from it. Pure data; shared by the domain, the adapters and the loop.
// Telemetry persistence contract and working rules: docs/telemetry.md.
import type { defaultBreakerPolicy, defaultStrategyPolicy, defaultWatermarkPolicy, defaultWeightPolicy } from './policy-defaults';

export const STAGES = ['access', 'ratelimit', 'routing', 'state', 'execution'] as const;
export type StageName = (typeof STAGES)[number];

export type StageState = 'idle' | 'active' | 'blocked';
export type BreakerState = 'closed' | 'open' | 'half-open';
/** L0 normal, L1 field-degraded, L2 stage-broken, L3 rerouted. */
export type DegradationLevel = 0 | 1 | 2 | 3;
export type AdminState = 'ready' | 'drain' | 'maintenance';

export type WeightPolicy = typeof defaultWeightPolicy;
export type WatermarkPolicy = typeof defaultWatermarkPolicy;
export type BreakerPolicy = typeof defaultBreakerPolicy;
export type StrategyPolicy = typeof defaultStrategyPolicy;

export interface FleetPolicies {
  weight: WeightPolicy;
  watermark: WatermarkPolicy;
  breaker: BreakerPolicy;
}

/** One stage of one instance during one tick, as the platform saw it. */
export interface StageTelemetry {
  /** Buffer fill 0..1. */
  fill: number;
  /** Requests that entered / left the stage this tick. */
  inputs: number;
  outputs: number;
  /** The stage had output ready but its output buffer was full (backpressure). */
  outputBlocked: boolean;
}

/**
 * What a platform reports for one instance at one tick. Anything a platform cannot measure is
 * left out (undefined), never invented: the domain keeps the last sampled value and its age.
 */
export interface InstanceTelemetry {
  instanceId: string;
  /** False when the platform could not reach the instance (killed, health check failing). */
  up: boolean;
  cpuPct?: number;
  memPct?: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** Mean response time of the requests completed this tick (the breaker's rt). */
  rtMs?: number;
  connections?: number;
  rps?: number;
  /** Requests completed this tick and how many of them failed (errors + timeouts). */
  requests?: number;
  errors?: number;
  timeouts?: number;
  /** Requests in flight now, and the most the instance accepts at once. */
  activeRequests?: number;
  maxConcurrency?: number;
  /** Per stage in STAGES order; absent when the platform cannot see inside an instance. */
  stages?: StageTelemetry[];
  /** Ingress buffer writes that waited longer than the backpressure timeout this tick. */
  ingressWriteTimeouts?: number;
  /**
   * Inputs the platform could not measure this tick (a metrics source down, slow or without
   * data): they are absent above and named here, never filled with invented numbers.
   */
  stale?: Array<'cpu' | 'memory' | 'p50' | 'p95' | 'p99' | 'connections' | 'rps' | 'errors'>;
  /**
   * Requests completed this tick per latency bucket: counts[i] = requests that took at most
   * LATENCY_BUCKETS_MS[i] (and more than the bound before); the last entry counts the rest (+Inf).
   * Not cumulative. Absent where the platform has no histogram (HAProxy alone: rtime is a mean).
   */
  latencyBuckets?: number[];
}

/** A state change of one machine, as a value the loop persists as an event. */
export interface Transition {
  machine: 'stage' | 'degradation' | 'breaker' | 'weight';
  /** For stage machines and per-stage breakers; undefined for instance-level machines. */
  stage?: StageName;
  from: string;
  to: string;
  cause: string;
  /** Epoch ms. */
  at: number;
  /** The measured values behind it (fill, rt, threshold …). */
  values: Record<string, number>;
  /** Weight recomputes only: what triggered it, as data (stored beside the sentence in `cause`). */
  trigger?: RecomputeTrigger;
}

/** Why a target weight was computed. */
export type RecomputeTrigger =
  /**
   * An input's fresh sample against its alert threshold: `up` it crossed above, `down` it fell
   * back below, `held` it stays above (recomputed on each of its samples while it does).
   */
  | { kind: 'threshold'; input: 'cpu' | 'p95' | 'connections'; direction: 'up' | 'down' | 'held'; value: number; threshold: number }
  | { kind: 'periodic'; everyS: number }
  | { kind: 'initial' }
  | { kind: 'admin'; state: AdminState }
  | { kind: 'down' }
  /** The platform reaches the instance again after it was down. */
  | { kind: 'up' }
  | { kind: 'policy' };

/** One input's share of the weight: "−31 from P95 1240 ms". */
export interface WeightTerm {
  input: 'cpu' | 'p95' | 'connections' | 'memory' | 'latency';
  value: number;
  unit: '%' | 'ms' | '';
  /** Weight points this input removed from base (≥ 0). */
  penalty: number;
}

export interface WeightExplanation {
  model: WeightPolicy['model'];
  base: number;
  terms: WeightTerm[];
  target: number;
  trigger: RecomputeTrigger;
  /** Epoch ms of the computation. */
  computedAt: number;
}

/** A service's desired routing (SPEC §3.6): header rules first, then the version weights. */
export interface ServiceRouting {
  versionWeights: Record<string, number>;
  /**
   * Matching requests go to `version`, first rule first. `equals` is the value to compare with:
   * the whole value (`exact`, the default), its beginning (`prefix`) or a pattern (`regex`).
   */
  headerRules: Array<{ header: string; equals: string; version: string; match?: HeaderMatch }>;
}

export type HeaderMatch = 'exact' | 'prefix' | 'regex';
