// One instance's five-stage pipeline (SPEC §3): access → ratelimit → routing → state → execution,
// each a server with a capacity and a bounded buffer. A fluid queueing model with state carried
// between ticks: within a tick the stochastic queue follows an M/M/1-like curve in the stage's
// utilisation; beyond capacity a backlog builds up, fills the bottleneck's buffer first and, once
// that is full, blocks the upstream stage (backpressure) until the ingress rejects writes.
//
// All per-instance state lives in typed arrays indexed by the instance's slot, so a tick over
// 10,000 instances allocates only the telemetry it returns.
import type { InstanceTelemetry, StageTelemetry } from '../../domain/model';
import { defaultWatermarkPolicy } from '../../domain/policy-defaults';
import type { Effects } from './faults';
import { MAX_STRESS_PCT } from './faults';
export { PACKETS_PER_REQUEST } from './faults';
import { mixtureQuantiles, sampleHistogram, sampleMixedHistogram } from './histogram';
import { clampedNormalMean, normal, sampleCount, streamSeed, uniform } from './random';

/** Assumed mean request size, to turn the 16 KB ingress buffer into requests (32). */
export const REQUEST_BYTES = 512;

/**
 * Per stage, in STAGES order: capacity as a multiple of the instance's capacityRps, CPU time per
 * request (ms, at full capacity) and buffer size (requests). Execution (DB / cache writes) is the
 * bottleneck; state (snapshot + locks) the next one.
 */
export const STAGE_MODEL = [
  { capacity: 2.0, serviceMs: 1.0, buffer: defaultWatermarkPolicy.ingress.capacityBytes / REQUEST_BYTES },
  { capacity: 3.0, serviceMs: 0.3, buffer: 128 },
  { capacity: 2.5, serviceMs: 0.5, buffer: 128 },
  { capacity: 1.4, serviceMs: 3.0, buffer: 128 },
  { capacity: 1.0, serviceMs: 12.0, buffer: 256 },
] as const;
const K = STAGE_MODEL.length;

/** Mean burst size of arrivals (connection reuse batches requests); scales queue lengths. */
export const BURST = 8;
/** The stochastic queue is evaluated at most at this utilisation; beyond it the backlog takes over. */
export const RHO_CAP = 0.95;
export const BASE_LATENCY_MS = 4;
export const IDLE_CPU_PCT = 4;
/** Retransmission timeout a lost packet costs. */
export const RTO_MS = 200;
/** Per-instance demand noise (OU, σ and τ), capacity spread between instances, measurement noise. */
export const INSTANCE_NOISE = 0.02;
export const INSTANCE_NOISE_TAU_S = 20;
export const CAPACITY_SPREAD = 0.03;
export const LATENCY_NOISE = 0.03;
export const CPU_NOISE_PCT = 0.8;
/** A buffer at or above this fill counts as full: the stage before it is blocked. */
const FULL = 0.98;
/** −ln(1 − q) and the normal quantile z_q for q = 0.5, 0.95, 0.99. */
const EXP_Q = [Math.LN2, Math.log(20), Math.log(100)] as const;
const Z_Q = [0, 1.6448536, 2.3263479] as const;
const TAIL = [0.5, 0.05, 0.01] as const;

/** Quantile j (p50, p95, p99) in ms: fixed + exponential sojourn + clamped normal delay + retransmits, capped at the timeout. */
function latencyQuantile(j: 0 | 1 | 2, fixedS: number, sojournS: number, delayMs: number, jitterMs: number, retransmitS: number, noiseMul: number, timeoutS: number): number {
  const delayS = Math.max(0, delayMs + jitterMs * Z_Q[j]) / 1000;
  const v = (fixedS + sojournS * EXP_Q[j] + delayS + retransmitS) * noiseMul;
  return (v < timeoutS ? v : timeoutS) * 1000;
}

/**
 * One latency distribution (all requests, or a cohort's) into `into`: p50, p95, p99 (ms), mean
 * (ms), the probability of a timeout, and the mean added delay (s). The delay is clamped normal;
 * `hit` requests wait for a retransmit.
 */
function latencyComponent(into: Float64Array, fixedS: number, sojournS: number, delayMs: number, jitterMs: number, hit: number, noiseMul: number, timeoutS: number): void {
  const rtoS = RTO_MS / 1000;
  const delayMeanS = clampedNormalMean(delayMs, jitterMs) / 1000;
  const p50 = latencyQuantile(0, fixedS, sojournS, delayMs, jitterMs, rtoS * Math.min(1, hit / TAIL[0]), noiseMul, timeoutS);
  const p95 = Math.max(p50, latencyQuantile(1, fixedS, sojournS, delayMs, jitterMs, rtoS * Math.min(1, hit / TAIL[1]), noiseMul, timeoutS));
  const p99 = Math.max(p95, latencyQuantile(2, fixedS, sojournS, delayMs, jitterMs, rtoS * Math.min(1, hit / TAIL[2]), noiseMul, timeoutS));
  const meanS = fixedS + sojournS + delayMeanS + hit * rtoS;
  const floorS = fixedS + delayMeanS + hit * rtoS;
  into[0] = p50;
  into[1] = p95;
  into[2] = p99;
  into[3] = Math.min(timeoutS, meanS * noiseMul) * 1000;
  into[4] = floorS >= timeoutS ? 1 : sojournS > 0 ? Math.exp(-(timeoutS - floorS) / sojournS) : 0;
  into[5] = delayMeanS;
}
const allReqs = new Float64Array(6);
const cohortReqs = new Float64Array(6);
const mixed = new Float64Array(3);

/** Constants of one tick, shared by every instance. */
export interface TickParams {
  dt: number;
  capacityRps: number;
  hotCapacity: number;
  timeoutS: number;
  keepAliveS: number;
  /** exp(−dt / τ) and σ·sqrt(1 − decay²) of the per-instance demand noise. */
  noiseDecay: number;
  noiseKick: number;
  /** 1 − exp(−dt / keepAliveS): how far connections move toward their Little's-law level. */
  connBlend: number;
}

export class InstanceTable {
  n = 0;
  rng = new Uint32Array(0);
  /** Capacity multiplier of the instance's hardware (1 ± CAPACITY_SPREAD). */
  spread = new Float64Array(0);
  hot = new Uint8Array(0);
  /** Backlog per stage (requests beyond the stochastic queue), index i * 5 + k. */
  backlog = new Float64Array(0);
  connections = new Float64Array(0);
  noise = new Float64Array(0);
  /** 0 until the instance's connections were initialised (fresh or restarted after a kill). */
  warm = new Uint8Array(0);

  /** Rebuild for a new fleet, carrying the state of instances that stay (matched by key). */
  rebuild(instances: ReadonlyArray<{ key: string; name: string; hot: boolean }>, seed: number, previous: ReadonlyMap<string, number>): void {
    const old = { rng: this.rng, spread: this.spread, backlog: this.backlog, connections: this.connections, noise: this.noise, warm: this.warm };
    const n = instances.length;
    this.n = n;
    this.rng = new Uint32Array(n);
    this.spread = new Float64Array(n);
    this.hot = new Uint8Array(n);
    this.backlog = new Float64Array(n * K);
    this.connections = new Float64Array(n);
    this.noise = new Float64Array(n);
    this.warm = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const inst = instances[i]!;
      this.hot[i] = inst.hot ? 1 : 0;
      const j = previous.get(inst.key);
      if (j !== undefined) {
        this.rng[i] = old.rng[j]!;
        this.spread[i] = old.spread[j]!;
        this.backlog.set(old.backlog.subarray(j * K, j * K + K), i * K);
        this.connections[i] = old.connections[j]!;
        this.noise[i] = old.noise[j]!;
        this.warm[i] = old.warm[j]!;
      } else {
        this.rng[i] = streamSeed(seed, inst.name);
        this.spread[i] = 1 + CAPACITY_SPREAD * (2 * uniform(this.rng, i) - 1);
      }
    }
  }

  /** A killed process loses its queues and connections. */
  resetInstance(i: number): void {
    this.backlog.fill(0, i * K, i * K + K);
    this.connections[i] = 0;
    this.warm[i] = 0;
  }
}

// Scratch space for one instance's stages (reused; the loop is single-threaded).
const inp = new Float64Array(K);
const out = new Float64Array(K);
const cap = new Float64Array(K);
const mu = new Float64Array(K);
const lq = new Float64Array(K);
const room = new Float64Array(K);
const rhoC = new Float64Array(K);
const blocked = new Uint8Array(K);
/** Capacity factor per stage: the instance's, and for execution also the noisy neighbour's share. */
const fk = new Float64Array(K);

/**
 * Advance instance `i` by one tick with `lambda` requests per second routed to it and return
 * its telemetry. Equations (per stage k, capacity μ_k = capacityRps·c_k·f where f is the
 * instance's capacity factor, service time s_k = serviceMs_k / f, c_k workers = μ_k·s_k):
 *   ρ_k = arrivals_k / (μ_k·dt), ρ̂ = min(ρ_k, RHO_CAP)
 *   stochastic queue Lq_k = BURST·ρ̂²/(1−ρ̂), sojourn W_k = s_k·(1 + BURST·ρ̂/(c_k·(1−ρ̂)))  (Little: Lq = λ·(W − s))
 *   backlog Q_k += arrivals_k − served_k, served_k ≤ μ_k·dt; room_k = B_k·(1 − held_k) − Lq_k;
 *   overflow goes back upstream (output blocked) and, at the ingress, is rejected (write timeout);
 *   backlog wait Wb = Σ Q_k / min_{j≥k} μ_j; latency = base + Wb + Exp(Σ W_k) (+ fault delay, retransmits).
 */
export function stepInstance(t: InstanceTable, i: number, instanceId: string, lambda: number, fx: Effects, p: TickParams): InstanceTelemetry {
  if (fx.killed[i]) {
    t.resetInstance(i);
    return { instanceId, up: false };
  }
  const rng = t.rng;
  const dt = p.dt;
  const noise = t.noise[i]! * p.noiseDecay + p.noiseKick * normal(rng, i);
  t.noise[i] = noise;
  const arrivals = sampleCount(rng, i, lambda * Math.max(0, 1 + noise) * dt);

  const stress = Math.min(MAX_STRESS_PCT, fx.stressPct[i]!);
  const factor = t.spread[i]! * (t.hot[i] ? p.hotCapacity : 1) * (1 - stress / 100);
  const base = i * K;
  const q = t.backlog;
  // A noisy neighbour contends for the host's disk and network (neighbour.ts): it slows the
  // I/O-bound stage, execution (DB / cache writes), and leaves the CPU-bound stages alone.
  for (let k = 0; k < K; k++) fk[k] = k === K - 1 ? factor * (1 - fx.contention[i]!) : factor;

  // Forward: each stage serves its backlog and this tick's input, up to its capacity.
  let flow = arrivals;
  let sojournS = 0;
  let backlogS = 0;
  for (let k = 0; k < K; k++) {
    const m = STAGE_MODEL[k]!;
    const rate = p.capacityRps * m.capacity * fk[k]!;
    const c = rate * dt;
    const rho = c > 0 ? flow / c : 0;
    const r = rho < RHO_CAP ? rho : RHO_CAP;
    const l = (BURST * r * r) / (1 - r);
    const held = fx.saturation[base + k]!;
    inp[k] = flow;
    mu[k] = rate;
    cap[k] = c;
    lq[k] = l;
    rhoC[k] = r;
    room[k] = Math.max(0, m.buffer * (1 - held) - l);
    blocked[k] = 0;
    const avail = q[base + k]! + flow;
    const served = avail < c ? avail : c;
    q[base + k] = avail - served;
    out[k] = served;
    flow = served;
  }

  // Backward: a buffer over its room pushes the excess back into the stage before it. A backlog
  // drains no faster than the slowest stage from it to the end (a blocked pipeline moves at the
  // bottleneck's pace), which gives the wait ahead of a new request.
  let rejected = 0;
  let drainRate = Infinity;
  for (let k = K - 1; k >= 0; k--) {
    const excess = q[base + k]! - room[k]!;
    if (excess > 1e-9) {
      if (k > 0) {
        const push = excess < out[k - 1]! ? excess : out[k - 1]!;
        q[base + k]! -= push;
        q[base + k - 1]! += push;
        out[k - 1]! -= push;
        inp[k]! -= push;
        if (push > 1e-9) blocked[k - 1] = 1;
      } else {
        const push = excess < inp[0]! ? excess : inp[0]!;
        q[base]! -= push;
        inp[0]! -= push;
        rejected = push;
      }
    }
    if (mu[k]! < drainRate) drainRate = mu[k]!;
    backlogS += q[base + k]! / drainRate;
  }

  // Latency: fixed part + backlog ahead (FIFO) + the stochastic sojourn of every stage.
  let busy = 0;
  let workers = 0;
  let capacityInFlight = 0;
  const stages: StageTelemetry[] = new Array<StageTelemetry>(K);
  for (let k = 0; k < K; k++) {
    const m = STAGE_MODEL[k]!;
    const s = m.serviceMs / 1000 / fk[k]!;
    const c = mu[k]! * s;
    const r = rhoC[k]!;
    sojournS += s * (1 + (BURST * r) / (c * (1 - r)));
    const util = cap[k]! > 0 ? out[k]! / cap[k]! : 0;
    if (util > busy) busy = util;
    workers += c;
    capacityInFlight += m.buffer;
    const held = fx.saturation[base + k]!;
    const queued = Math.min(lq[k]!, m.buffer * (1 - held)) + q[base + k]!;
    const fill = Math.min(1, held + queued / m.buffer);
    if (k > 0 && fill >= FULL && inp[k]! > 0) blocked[k - 1] = 1;
    stages[k] = { fill: Math.round(fill * 10_000) / 10_000, inputs: Math.round(inp[k]!), outputs: Math.round(out[k]!), outputBlocked: false };
  }
  for (let k = 0; k < K; k++) stages[k]!.outputBlocked = blocked[k] === 1;

  // Faults on the wire: netem-like normal delay (clamped at 0) and loss (retransmits, failures), per request share (faults.ts).
  const hit = fx.lossHit[i]!;
  const lossFail = fx.lossFail[i]!;
  const fixedS = BASE_LATENCY_MS / 1000 + backlogS;
  const timeoutS = p.timeoutS;
  // A version's latency factor (slower or faster code) scales every request's time in the instance.
  const noiseMul = (1 + LATENCY_NOISE * Math.max(-3, Math.min(3, normal(rng, i)))) * fx.latencyFactor[i]!;
  const delayMs = fx.delayMs[i]!;
  const delayVar = fx.delayVar[i]!;
  latencyComponent(allReqs, fixedS, sojournS, delayMs, Math.sqrt(delayVar), hit, noiseMul, timeoutS);
  let p50 = allReqs[0]!;
  let p95 = allReqs[1]!;
  let p99 = allReqs[2]!;
  let rtMs = allReqs[3]!;
  let pTimeout = allReqs[4]!;
  let delayMeanS = allReqs[5]!;
  // A cohort-scoped delay: that share of the requests is slower; quantiles of the mixture.
  const share = fx.cohortFrac[i]!;
  if (share > 0) {
    latencyComponent(cohortReqs, fixedS, sojournS, delayMs + fx.cohortDelayMs[i]!, Math.sqrt(delayVar + fx.cohortDelayVar[i]!), hit, noiseMul, timeoutS);
    mixtureQuantiles(allReqs, cohortReqs, share, timeoutS * 1000, mixed);
    p50 = mixed[0]!;
    p95 = Math.max(p50, mixed[1]!);
    p99 = Math.max(p95, mixed[2]!);
    rtMs = rtMs + share * (cohortReqs[3]! - rtMs);
    pTimeout = pTimeout + share * (cohortReqs[4]! - pTimeout);
    delayMeanS = delayMeanS + share * (cohortReqs[5]! - delayMeanS);
  }

  // Outcomes of the requests completed this tick.
  const completed = Math.round(out[K - 1]!);
  const timeouts = Math.min(completed, sampleCount(rng, i, completed * pTimeout));
  const pError = 1 - (1 - fx.baseErrorRate[i]!) * (1 - fx.httpError[i]!) * (1 - lossFail);
  const answered = completed - timeouts;
  const failed = Math.min(answered, sampleCount(rng, i, answered * pError));
  const rejectedN = Math.round(rejected);
  const rtoS = RTO_MS / 1000;

  // Little's law: in flight = throughput × time in the instance; connections = arrivals × lifetime.
  const maxConcurrency = Math.round(capacityInFlight + workers);
  const active = Math.min(maxConcurrency, (out[K - 1]! / dt) * (sojournS + backlogS));
  const arrivalRate = arrivals / dt;
  const connTarget = arrivalRate * (p.keepAliveS + sojournS + backlogS + delayMeanS + hit * rtoS);
  const conn = t.warm[i] ? t.connections[i]! + (connTarget - t.connections[i]!) * p.connBlend : connTarget;
  t.connections[i] = conn;
  t.warm[i] = 1;

  // A version's CPU factor: more (or less) CPU per request at the same load.
  const cpuBusy = busy * fx.cpuFactor[i]!;
  const cpu = IDLE_CPU_PCT + stress + (100 - IDLE_CPU_PCT - stress) * (cpuBusy < 1 ? cpuBusy : 1) + CPU_NOISE_PCT * normal(rng, i);
  const mem = 30 + (t.spread[i]! - 1) * 100 + (25 * active) / maxConcurrency + conn * 0.002;

  return {
    instanceId,
    up: true,
    cpuPct: round1(clamp(cpu, 0, 100)),
    memPct: round1(clamp(mem, 0, 100)),
    p50Ms: round1(p50),
    p95Ms: round1(p95),
    p99Ms: round1(p99),
    rtMs: round1(rtMs),
    connections: Math.round(conn),
    rps: round1(arrivalRate),
    requests: completed + rejectedN,
    errors: failed + rejectedN,
    timeouts,
    activeRequests: Math.round(active),
    maxConcurrency,
    stages,
    ingressWriteTimeouts: rejectedN,
    // The completed requests (ingress rejections never got a latency), by latency bucket.
    latencyBuckets:
      share > 0
        ? sampleMixedHistogram(rng, i, answered, timeouts, allReqs, cohortReqs, share, timeoutS * 1000)
        : sampleHistogram(rng, i, answered, timeouts, p50, p95, p99, timeoutS * 1000),
  };
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
const round1 = (v: number) => Math.round(v * 10) / 10;
