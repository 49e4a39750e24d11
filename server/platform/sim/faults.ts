// Faults injected into the simulator (SPEC §3.7) and their combined effect per instance and tick.
// Every fault carries an expiry; the book drops it by itself once the simulated clock passes it.
import type { FaultInjection, FaultSpec } from '../adapter';
import { STAGES } from '../../domain/model';
import { describeIssues } from './config';
import { cohortProblem, type Cohort } from './cohort';

// One schema for authoring and for the simulator's own check (a fault from any caller is validated).
export { faultSpecSchema } from '../../domain/experiments/spec';
import { faultSpecSchema } from '../../domain/experiments/spec';

/** Fraction of requests that fail on a healthy instance of a version without its own error rate. */
export const BASE_ERROR_RATE = 0.0005;

/** Packets per request exchange: a loss fault hits a request when it hits any of them. */
export const PACKETS_PER_REQUEST = 6;

/** Stress and CPU-stress faults together never take more than this share of an instance's capacity. */
export const MAX_STRESS_PCT = 95;

/** The combined effect of the active faults and stress controls, one slot per instance index. */
export class Effects {
  stressPct = new Float64Array(0);
  delayMs = new Float64Array(0);
  /** Variance of the added delay (ms²): jitters of independent delays add as variances. */
  delayVar = new Float64Array(0);
  /**
   * Fractions of the instance's requests, 0..1, combined as independent events: requests that lose
   * a packet and wait for a retransmit, requests that lose one twice and fail, requests answered
   * with an injected error. A cohort-scoped fault contributes its cohort's share of them.
   */
  lossHit = new Float64Array(0);
  lossFail = new Float64Array(0);
  httpError = new Float64Array(0);
  /**
   * A cohort-scoped delay: the share of requests (0..1) that get `cohortDelayMs` ± sqrt(var) on top
   * of any unscoped delay. Two on one instance are taken as one on the larger cohort, delays added.
   */
  cohortFrac = new Float64Array(0);
  cohortDelayMs = new Float64Array(0);
  cohortDelayVar = new Float64Array(0);
  killed = new Uint8Array(0);
  drained = new Uint8Array(0);
  /** Held buffer fill per instance and stage (index i * 5 + stage), 0..1. */
  saturation = new Float64Array(0);
  /** Share of execution (I/O) capacity lost to a noisy neighbour on the host (neighbour.ts), 0..1. */
  contention = new Float64Array(0);
  /** The instance's version behaviour (config.ts versionBehaviourSchema): set by the engine each tick. */
  latencyFactor = new Float64Array(0);
  cpuFactor = new Float64Array(0);
  baseErrorRate = new Float64Array(0);

  reset(n: number): void {
    if (this.killed.length !== n) {
      this.stressPct = new Float64Array(n);
      this.delayMs = new Float64Array(n);
      this.delayVar = new Float64Array(n);
      this.lossHit = new Float64Array(n);
      this.lossFail = new Float64Array(n);
      this.httpError = new Float64Array(n);
      this.cohortFrac = new Float64Array(n);
      this.cohortDelayMs = new Float64Array(n);
      this.cohortDelayVar = new Float64Array(n);
      this.killed = new Uint8Array(n);
      this.drained = new Uint8Array(n);
      this.saturation = new Float64Array(n * STAGES.length);
      this.contention = new Float64Array(n);
      this.latencyFactor = new Float64Array(n).fill(1);
      this.cpuFactor = new Float64Array(n).fill(1);
      this.baseErrorRate = new Float64Array(n).fill(BASE_ERROR_RATE);
      return;
    }
    this.stressPct.fill(0);
    this.delayMs.fill(0);
    this.delayVar.fill(0);
    this.lossHit.fill(0);
    this.lossFail.fill(0);
    this.httpError.fill(0);
    this.cohortFrac.fill(0);
    this.cohortDelayMs.fill(0);
    this.cohortDelayVar.fill(0);
    this.killed.fill(0);
    this.drained.fill(0);
    this.saturation.fill(0);
    this.contention.fill(0);
    this.latencyFactor.fill(1);
    this.cpuFactor.fill(1);
    this.baseErrorRate.fill(BASE_ERROR_RATE);
  }

  /** Add a fault's effect on instance i; `share` < 1: only that share of its requests (a cohort). */
  add(i: number, spec: FaultSpec, share = 1): void {
    switch (spec.kind) {
      case 'delay':
        if (share >= 1) {
          this.delayMs[i]! += spec.delayMs;
          this.delayVar[i]! += spec.jitterMs * spec.jitterMs;
        } else if (share > 0) {
          this.cohortFrac[i] = Math.max(this.cohortFrac[i]!, share);
          this.cohortDelayMs[i]! += spec.delayMs;
          this.cohortDelayVar[i]! += spec.jitterMs * spec.jitterMs;
        }
        break;
      case 'loss': {
        // A request exchanges PACKETS_PER_REQUEST packets: one lost costs a retransmit, the same one lost twice fails it.
        const p = spec.pct / 100;
        this.lossHit[i] = 1 - (1 - this.lossHit[i]!) * (1 - share * (1 - Math.pow(1 - p, PACKETS_PER_REQUEST)));
        this.lossFail[i] = 1 - (1 - this.lossFail[i]!) * (1 - share * (1 - Math.pow(1 - p * p, PACKETS_PER_REQUEST)));
        break;
      }
      case 'http-error':
        this.httpError[i] = 1 - (1 - this.httpError[i]!) * (1 - share * (spec.pct / 100));
        break;
      case 'kill':
        this.killed[i] = 1;
        break;
      case 'drain':
        this.drained[i] = 1;
        break;
      case 'cpu-stress':
        this.stressPct[i]! += spec.pct;
        break;
      case 'buffer-saturation': {
        const k = i * STAGES.length + STAGES.indexOf(spec.stage);
        this.saturation[k] = Math.max(this.saturation[k]!, spec.fillPct / 100);
        break;
      }
    }
  }
}

function copy(f: FaultInjection): FaultInjection {
  const out: FaultInjection = { id: f.id, instanceId: f.instanceId, spec: { ...f.spec }, expiresAt: new Date(f.expiresAt.getTime()) };
  if (f.cohort) out.cohort = { header: f.cohort.header, value: f.cohort.value };
  return out;
}

export class FaultBook {
  private readonly faults = new Map<string, FaultInjection>();

  /** `headerMix`: the values simulated requests carry, which a cohort must name. */
  constructor(private readonly headerMix: Readonly<Record<string, number>> = {}) {}

  /** Check a fault without storing it: throws in words what is wrong. */
  validate(fault: FaultInjection): FaultInjection {
    if (typeof fault.id !== 'string' || fault.id === '') throw new Error('sim: a fault needs a non-empty id');
    if (!(fault.expiresAt instanceof Date) || Number.isNaN(fault.expiresAt.getTime())) throw new Error(`sim: fault ${fault.id} needs a valid expiresAt`);
    const parsed = faultSpecSchema.safeParse(fault.spec);
    if (!parsed.success) throw new Error(`sim: invalid fault ${fault.id}: ${describeIssues(parsed.error)}`);
    const out: FaultInjection = { id: fault.id, instanceId: fault.instanceId, spec: parsed.data, expiresAt: fault.expiresAt };
    if (fault.cohort != null) {
      const problem = cohortProblem(parsed.data.kind, fault.cohort, this.headerMix);
      if (problem) throw new Error(`sim: fault ${fault.id}: ${problem}`);
      out.cohort = fault.cohort;
    }
    return copy(out);
  }

  /** Validate and store a fault; the same id again replaces it (a retried injection is idempotent, a later expiresAt extends it). */
  inject(fault: FaultInjection): void {
    const valid = this.validate(fault);
    this.faults.set(valid.id, valid);
  }

  has(id: string): boolean {
    return this.faults.has(id);
  }

  remove(id: string): void {
    this.faults.delete(id);
  }

  /** Drop every fault whose expiry is at or before `nowMs`. */
  expire(nowMs: number): void {
    for (const [id, f] of this.faults) if (f.expiresAt.getTime() <= nowMs) this.faults.delete(id);
  }

  /** Copies of the faults still active at `nowMs` (all of them before the first tick). */
  list(nowMs: number | undefined): FaultInjection[] {
    const out: FaultInjection[] = [];
    for (const f of this.faults.values()) {
      if (nowMs !== undefined && f.expiresAt.getTime() <= nowMs) continue;
      out.push(copy(f));
    }
    return out;
  }

  isKilled(instanceId: string, nowMs: number | undefined): boolean {
    for (const f of this.faults.values()) {
      if (f.instanceId === instanceId && f.spec.kind === 'kill' && (nowMs === undefined || f.expiresAt.getTime() > nowMs)) return true;
    }
    return false;
  }

  /**
   * Add the effect of every fault on an instance of the fleet (faults on instances that left it
   * wait for their expiry): without `cohortShare` the unscoped faults, with it the cohort-scoped
   * ones, each on the share of the instance's requests its cohort makes up (known once routed).
   */
  applyTo(effects: Effects, index: ReadonlyMap<string, number>, cohortShare?: (slot: number, cohort: Cohort) => number): void {
    for (const f of this.faults.values()) {
      if ((f.cohort !== undefined) !== (cohortShare !== undefined)) continue;
      const i = index.get(f.instanceId);
      if (i === undefined) continue;
      if (f.cohort && cohortShare) effects.add(i, f.spec, cohortShare(i, f.cohort));
      else effects.add(i, f.spec);
    }
  }

  /** Whether any stored fault is cohort-scoped (the engine skips the per-tick cohort pass otherwise). */
  get anyCohort(): boolean {
    for (const f of this.faults.values()) if (f.cohort) return true;
    return false;
  }
}
