// Demand per service: peak × diurnal curve × slow noise × occasional spikes × operator controls.
// Each service has its own seeded stream (seed, service name), so adding a service never shifts
// another service's randomness.
import type { SimConfig } from './config';
import { normal, streamSeed, uniform } from './random';

/** Slow demand noise: an Ornstein–Uhlenbeck process with this correlation time. */
export const SERVICE_NOISE_TAU_S = 30;

/** 1 at the peak of the cycle, 1 − depth at the trough (raised cosine over the period). */
export function diurnalFactor(atMs: number, cfg: Pick<SimConfig, 'diurnalPeriodS' | 'diurnalDepth' | 'diurnalPeakPhase'>): number {
  const periodMs = cfg.diurnalPeriodS * 1000;
  const phase = (((atMs % periodMs) + periodMs) % periodMs) / periodMs;
  return 1 - (cfg.diurnalDepth * (1 - Math.cos(2 * Math.PI * (phase - cfg.diurnalPeakPhase)))) / 2;
}

/** A clock time (epoch ms) at the diurnal peak on or after `fromMs`; handy for demos and tests. */
export function nextPeak(fromMs: number, cfg: Pick<SimConfig, 'diurnalPeriodS' | 'diurnalPeakPhase'>): number {
  const periodMs = cfg.diurnalPeriodS * 1000;
  const start = Math.floor(fromMs / periodMs) * periodMs + cfg.diurnalPeakPhase * periodMs;
  return start >= fromMs ? start : start + periodMs;
}

interface ServiceDemandState {
  rng: Uint32Array;
  noise: number;
  spikeActive: boolean;
  spikeElapsedS: number;
}

export class DemandModel {
  private readonly states = new Map<string, ServiceDemandState>();

  constructor(private readonly cfg: SimConfig) {}

  /** Peak requests per second of a service: configured, else a fraction of its nominal capacity. */
  peakRps(serviceName: string, instanceCount: number): number {
    return this.cfg.demandRps[serviceName] ?? this.cfg.defaultUtilisation * this.cfg.capacityRps * instanceCount;
  }

  /** Forget services that left the fleet. */
  retain(serviceIds: ReadonlySet<string>): void {
    for (const id of this.states.keys()) if (!serviceIds.has(id)) this.states.delete(id);
  }

  /**
   * Advance one service by dt and return its demand (rps) at `atMs`. Call once per service and
   * tick: the noise and the spike state move forward here.
   */
  advance(serviceId: string, serviceName: string, instanceCount: number, atMs: number, dt: number, controlFactor: number): number {
    let s = this.states.get(serviceId);
    if (!s) {
      s = { rng: new Uint32Array([streamSeed(this.cfg.seed, `service:${serviceName}`)]), noise: 0, spikeActive: false, spikeElapsedS: 0 };
      this.states.set(serviceId, s);
    }
    const decay = Math.exp(-dt / SERVICE_NOISE_TAU_S);
    s.noise = s.noise * decay + this.cfg.noisePct * Math.sqrt(1 - decay * decay) * normal(s.rng, 0);

    let spike = 1;
    if (s.spikeActive) {
      s.spikeElapsedS += dt;
      if (s.spikeElapsedS >= this.cfg.spikeDurationS) s.spikeActive = false;
      else spike = 1 + (this.cfg.spikeFactor - 1) * Math.sin((Math.PI * s.spikeElapsedS) / this.cfg.spikeDurationS);
    } else if (this.cfg.spikeProbability > 0 && uniform(s.rng, 0) < 1 - Math.pow(1 - this.cfg.spikeProbability, dt)) {
      s.spikeActive = true;
      s.spikeElapsedS = 0;
    }
    const rate = this.peakRps(serviceName, instanceCount) * diurnalFactor(atMs, this.cfg) * Math.max(0, 1 + s.noise) * spike * controlFactor;
    return rate;
  }
}
