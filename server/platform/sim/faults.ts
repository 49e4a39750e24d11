// Faults injected into the simulator (SPEC §3.7) and their combined effect per instance and tick.
// Every fault carries an expiry; the book drops it by itself once the simulated clock passes it.
import type { FaultInjection, FaultSpec } from '../adapter';
import { STAGES } from '../../domain/model';
import { describeIssues } from './config';

// One schema for authoring and for the simulator's own check (a fault from any caller is validated).
export { faultSpecSchema } from '../../domain/experiments/spec';
import { faultSpecSchema } from '../../domain/experiments/spec';

/** Fraction of requests that fail on a healthy instance of a version without its own error rate. */
export const BASE_ERROR_RATE = 0.0005;

/** Stress and CPU-stress faults together never take more than this share of an instance's capacity. */
export const MAX_STRESS_PCT = 95;

/** The combined effect of the active faults and stress controls, one slot per instance index. */
export class Effects {
  stressPct = new Float64Array(0);
  delayMs = new Float64Array(0);
  /** Variance of the added delay (ms²): jitters of independent delays add as variances. */
  delayVar = new Float64Array(0);
  /** Fractions 0..1, combined as independent events. */
  loss = new Float64Array(0);
  httpError = new Float64Array(0);
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
      this.loss = new Float64Array(n);
      this.httpError = new Float64Array(n);
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
    this.loss.fill(0);
    this.httpError.fill(0);
    this.killed.fill(0);
    this.drained.fill(0);
    this.saturation.fill(0);
    this.contention.fill(0);
    this.latencyFactor.fill(1);
    this.cpuFactor.fill(1);
    this.baseErrorRate.fill(BASE_ERROR_RATE);
  }

  add(i: number, spec: FaultSpec): void {
    switch (spec.kind) {
      case 'delay':
        this.delayMs[i]! += spec.delayMs;
        this.delayVar[i]! += spec.jitterMs * spec.jitterMs;
        break;
      case 'loss':
        this.loss[i] = 1 - (1 - this.loss[i]!) * (1 - spec.pct / 100);
        break;
      case 'http-error':
        this.httpError[i] = 1 - (1 - this.httpError[i]!) * (1 - spec.pct / 100);
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

export class FaultBook {
  private readonly faults = new Map<string, FaultInjection>();

  /** Validate and store a fault; the same id again replaces it (a retried injection is idempotent). */
  inject(fault: FaultInjection): void {
    if (typeof fault.id !== 'string' || fault.id === '') throw new Error('sim: a fault needs a non-empty id');
    if (!(fault.expiresAt instanceof Date) || Number.isNaN(fault.expiresAt.getTime())) throw new Error(`sim: fault ${fault.id} needs a valid expiresAt`);
    const parsed = faultSpecSchema.safeParse(fault.spec);
    if (!parsed.success) throw new Error(`sim: invalid fault ${fault.id}: ${describeIssues(parsed.error)}`);
    this.faults.set(fault.id, { id: fault.id, instanceId: fault.instanceId, spec: parsed.data, expiresAt: new Date(fault.expiresAt.getTime()) });
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
      out.push({ id: f.id, instanceId: f.instanceId, spec: { ...f.spec }, expiresAt: new Date(f.expiresAt.getTime()) });
    }
    return out;
  }

  isKilled(instanceId: string, nowMs: number | undefined): boolean {
    for (const f of this.faults.values()) {
      if (f.instanceId === instanceId && f.spec.kind === 'kill' && (nowMs === undefined || f.expiresAt.getTime() > nowMs)) return true;
    }
    return false;
  }

  /** Add the effect of every fault on an instance of the fleet (faults on instances that left it wait for their expiry). */
  applyTo(effects: Effects, index: ReadonlyMap<string, number>): void {
    for (const f of this.faults.values()) {
      const i = index.get(f.instanceId);
      if (i !== undefined) effects.add(i, f.spec);
    }
  }
}
