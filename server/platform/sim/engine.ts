// The simulator's core: the fleet it was told about, what was applied to it (weights, routing,
// admin states), faults and controls, and one tick that routes each service's demand with
// splitTraffic and advances every instance's pipeline. Synchronous; the adapter wraps it.
import type { AdminState, InstanceTelemetry, ServiceRouting } from '../../domain/model';
import { defaultStrategyPolicy } from '../../domain/policy-defaults';
import { headerRuleFractions, splitTraffic, type SplitInstance } from '../../domain/traffic-split';
import type { FaultInjection, FleetInstance, FleetView, PlatformTopology } from '../adapter';
import { describeIssues, simControlsSchema, type SimConfig, type SimControls } from './config';
import { DemandModel } from './demand';
import { Effects, FaultBook } from './faults';
import { cohortMixFraction, cohortShareOfVersion, type Cohort } from './cohort';
import { NEIGHBOUR_LOSS, NoisyNeighbour, type NeighbourCandidate } from './neighbour';
import { INSTANCE_NOISE, INSTANCE_NOISE_TAU_S, InstanceTable, stepInstance, type TickParams } from './pipeline';

/** Weight of an instance before any applyWeights (the routing layer's base). */
export const INITIAL_WEIGHT = 100;
/** Bounds of one tick's step in seconds; the first tick steps 1 s. */
export const MIN_DT_S = 0.2;
export const MAX_DT_S = 5;
export const FIRST_DT_S = 1;

interface ServiceGroup {
  id: string;
  name: string;
  fleetRouting: ServiceRouting;
  /** Slots of the service's instances, sorted by instance id so the split never depends on fleet order. */
  slots: number[];
  /** One reusable split entry per slot (same order); only `weight` changes per tick. */
  split: SplitInstance[];
  /** This tick's split: the routing it used, its rule fractions and share per version (for cohort faults). */
  routed?: { routing: ServiceRouting; matched: readonly number[]; byVersion: Record<string, number> };
}

interface Control {
  id: string;
  value: number;
  untilMs: number;
}

const strategies = defaultStrategyPolicy.order;

/** Routing as stored may be partial JSON ({} for a service never routed): fill it in. */
function normaliseRouting(r: Partial<ServiceRouting> | undefined): ServiceRouting {
  return { versionWeights: { ...(r?.versionWeights ?? {}) }, headerRules: [...(r?.headerRules ?? [])] };
}

export class SimEngine {
  private instances: FleetInstance[] = [];
  private readonly slotById = new Map<string, number>();
  private groups: ServiceGroup[] = [];
  private readonly appliedWeights = new Map<string, number>();
  private readonly appliedStates = new Map<string, AdminState>();
  private readonly appliedRouting = new Map<string, ServiceRouting>();
  /**
   * Fraction of requests each rule list's rules take, per rule list. Header patterns are evaluated
   * once per routing change (every applied or fleet routing holds its own copied list, never
   * mutated; the header mix is fixed per engine), not on every tick.
   */
  private readonly ruleFractions = new WeakMap<ServiceRouting['headerRules'], number[]>();
  private readonly table = new InstanceTable();
  private readonly effects = new Effects();
  private readonly demand: DemandModel;
  private readonly neighbour: NoisyNeighbour;
  /** The hot zone's instances sorted by id, for the noisy neighbour's pick (eligibility set every tick). */
  private hotCandidates: Array<NeighbourCandidate & { slot: number }> = [];
  readonly faults: FaultBook;
  /** Index into `groups` of each slot's service. */
  private groupOfSlot = new Int32Array(0);
  private demandControls: Control[] = [];
  private stressControls: Control[] = [];
  /** Behaviour per app version (latency ×, error rate as a fraction, CPU ×); empty = all default. */
  private versionBehaviour = new Map<string, { latency: number; errorRate: number; cpu: number }>();
  private lambda = new Float64Array(0);
  /** Epoch ms of the last tick: the simulator's clock. */
  private clockMs: number | undefined;

  constructor(private readonly cfg: SimConfig) {
    this.faults = new FaultBook(cfg.headerMix);
    this.demand = new DemandModel(cfg);
    this.neighbour = new NoisyNeighbour(cfg);
  }

  get now(): number | undefined {
    return this.clockMs;
  }

  setFleet(fleet: FleetView): void {
    const services = new Map<string, FleetView['services'][number]>();
    for (const s of fleet.services) {
      if (services.has(s.id)) throw new Error(`sim: service id ${s.id} appears twice in the fleet`);
      services.set(s.id, s);
    }
    const seen = new Set<string>();
    for (const inst of fleet.instances) {
      if (seen.has(inst.id)) throw new Error(`sim: instance id ${inst.id} appears twice in the fleet`);
      seen.add(inst.id);
      if (!services.has(inst.serviceId)) throw new Error(`sim: instance ${inst.name} belongs to service ${inst.serviceId}, which is not in the fleet`);
    }

    const previous = new Map(this.slotById);
    this.instances = fleet.instances.map((inst) => ({ ...inst }));
    this.slotById.clear();
    this.instances.forEach((inst, i) => this.slotById.set(inst.id, i));
    this.table.rebuild(
      this.instances.map((inst) => ({ key: inst.id, name: inst.name, hot: this.cfg.hotZone !== null && inst.zone === this.cfg.hotZone })),
      this.cfg.seed,
      previous,
    );
    this.lambda = new Float64Array(this.instances.length);

    const bySvc = new Map<string, number[]>();
    this.instances.forEach((inst, i) => {
      const list = bySvc.get(inst.serviceId) ?? [];
      list.push(i);
      bySvc.set(inst.serviceId, list);
    });
    this.groups = [...services.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((s) => {
        const slots = (bySvc.get(s.id) ?? []).sort((a, b) => (this.instances[a]!.id < this.instances[b]!.id ? -1 : 1));
        const split = slots.map((i) => ({ id: this.instances[i]!.id, appVersion: this.instances[i]!.appVersion, zone: this.instances[i]!.zone, weight: 0 }));
        return { id: s.id, name: s.name, fleetRouting: normaliseRouting(s.routing), slots, split };
      });
    this.groupOfSlot = new Int32Array(this.instances.length);
    this.groups.forEach((g, gi) => {
      for (const slot of g.slots) this.groupOfSlot[slot] = gi;
    });
    // What was applied stays applied for instances and services that remain.
    for (const id of this.appliedWeights.keys()) if (!this.slotById.has(id)) this.appliedWeights.delete(id);
    for (const id of this.appliedStates.keys()) if (!this.slotById.has(id)) this.appliedStates.delete(id);
    for (const id of this.appliedRouting.keys()) if (!services.has(id)) this.appliedRouting.delete(id);
    this.demand.retain(new Set(services.keys()));
    this.neighbour.retain(seen);
    this.hotCandidates = [];
    this.instances.forEach((inst, slot) => {
      if (this.cfg.hotZone !== null && inst.zone === this.cfg.hotZone) this.hotCandidates.push({ id: inst.id, eligible: false, slot });
    });
    this.hotCandidates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  describe(): PlatformTopology {
    return {
      instances: this.instances.map((inst) => ({ name: inst.name, service: inst.serviceName, address: inst.address, up: !this.faults.isKilled(inst.id, this.clockMs) })),
    };
  }

  applyWeights(weights: ReadonlyArray<{ instanceId: string; weight: number }>): void {
    const unknown = weights.filter((w) => !this.slotById.has(w.instanceId)).map((w) => w.instanceId);
    if (unknown.length > 0) throw new Error(`sim: unknown instance ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
    const bad = weights.find((w) => !Number.isFinite(w.weight) || w.weight < 0);
    if (bad) throw new Error(`sim: weight of ${bad.instanceId} must be a finite number ≥ 0 (got ${bad.weight})`);
    for (const w of weights) this.appliedWeights.set(w.instanceId, w.weight);
  }

  applyServiceRouting(serviceId: string, routing: ServiceRouting): void {
    if (!this.groups.some((g) => g.id === serviceId)) throw new Error(`sim: unknown service ${serviceId}`);
    const r = normaliseRouting(routing);
    for (const [v, w] of Object.entries(r.versionWeights)) {
      if (!Number.isFinite(w) || w < 0) throw new Error(`sim: version weight of ${v} must be a finite number ≥ 0 (got ${w})`);
    }
    this.appliedRouting.set(serviceId, r);
  }

  setInstanceState(instanceId: string, state: AdminState): void {
    if (!this.slotById.has(instanceId)) throw new Error(`sim: unknown instance ${instanceId}`);
    if (state !== 'ready' && state !== 'drain' && state !== 'maintenance') throw new Error(`sim: unknown admin state ${String(state)}`);
    this.appliedStates.set(instanceId, state);
  }

  injectFault(fault: FaultInjection): void {
    this.faults.inject(this.validateFault(fault));
  }

  /** A copy of the fault if the simulator can carry it; else throws in words why not. */
  validateFault(fault: FaultInjection): FaultInjection {
    if (!this.slotById.has(fault.instanceId)) throw new Error(`sim: unknown instance ${fault.instanceId}`);
    return this.faults.validate(fault);
  }

  setControls(controls: SimControls): void {
    const parsed = simControlsSchema.safeParse(controls);
    if (!parsed.success) throw new Error(`sim: invalid controls: ${describeIssues(parsed.error)}`);
    this.demandControls = parsed.data.demand.map((d) => ({ id: d.serviceId, value: d.factor, untilMs: Date.parse(d.until) }));
    this.stressControls = parsed.data.stress.map((s) => ({ id: s.instanceId, value: s.cpuPct, untilMs: Date.parse(s.until) }));
    this.versionBehaviour = new Map(parsed.data.versions.map((v) => [v.version, { latency: v.latencyFactor, errorRate: v.errorPct / 100, cpu: v.cpuFactor }]));
  }

  /** Advance the model to `at` and return one telemetry entry per fleet instance, in fleet order. */
  tick(at: Date): InstanceTelemetry[] {
    const nowMs = at.getTime();
    if (!Number.isFinite(nowMs)) throw new Error('sim: readTelemetry needs a valid date');
    const dt = this.clockMs === undefined ? FIRST_DT_S : Math.min(MAX_DT_S, Math.max(MIN_DT_S, (nowMs - this.clockMs) / 1000));
    this.clockMs = nowMs;

    const n = this.instances.length;
    this.faults.expire(nowMs);
    const fx = this.effects;
    fx.reset(n);
    this.faults.applyTo(fx, this.slotById);
    if (this.versionBehaviour.size > 0) {
      for (let i = 0; i < n; i++) {
        const b = this.versionBehaviour.get(this.instances[i]!.appVersion);
        if (!b) continue;
        fx.latencyFactor[i] = b.latency;
        fx.baseErrorRate[i] = b.errorRate;
        fx.cpuFactor[i] = b.cpu;
      }
    }
    for (const c of this.stressControls) {
      const i = this.slotById.get(c.id);
      if (i !== undefined && nowMs < c.untilMs) fx.stressPct[i]! += c.value;
    }

    this.contend(nowMs);
    this.route(nowMs, dt);
    // Cohort-scoped faults act on the share of each instance's requests that routing sent it.
    if (this.faults.anyCohort) this.faults.applyTo(fx, this.slotById, (slot, cohort) => this.cohortShare(slot, cohort));

    const noiseDecay = Math.exp(-dt / INSTANCE_NOISE_TAU_S);
    const p: TickParams = {
      dt,
      capacityRps: this.cfg.capacityRps,
      hotCapacity: this.cfg.hotZoneCapacity,
      timeoutS: this.cfg.requestTimeoutMs / 1000,
      keepAliveS: this.cfg.keepAliveS,
      noiseDecay,
      noiseKick: INSTANCE_NOISE * Math.sqrt(1 - noiseDecay * noiseDecay),
      connBlend: 1 - Math.exp(-dt / this.cfg.keepAliveS),
    };
    const out = new Array<InstanceTelemetry>(n);
    for (let i = 0; i < n; i++) out[i] = stepInstance(this.table, i, this.instances[i]!.id, this.lambda[i]!, fx, p);
    return out;
  }

  /** Noisy-neighbour bursts: only instances in service can be picked, so that a burst is seen. */
  private contend(nowMs: number): void {
    if (!this.neighbour.enabled) return;
    const fx = this.effects;
    for (const c of this.hotCandidates) {
      const state = this.appliedStates.get(c.id) ?? this.instances[c.slot]!.adminState;
      c.eligible = state === 'ready' && !fx.killed[c.slot] && !fx.drained[c.slot];
    }
    const hit = this.neighbour.advance(nowMs, this.hotCandidates);
    for (const c of this.hotCandidates) if (hit.has(c.id)) fx.contention[c.slot] = NEIGHBOUR_LOSS;
  }

  /** Demand per service, split over its instances by the applied routing and weights. */
  private route(nowMs: number, dt: number): void {
    const fx = this.effects;
    this.lambda.fill(0);
    for (const g of this.groups) {
      let factor = 1;
      for (const c of this.demandControls) if (c.id === g.id && nowMs < c.untilMs) factor *= c.value;
      const rps = this.demand.advance(g.id, g.name, g.slots.length, nowMs, dt, factor);
      if (g.slots.length === 0) continue;

      const routing = this.appliedRouting.get(g.id) ?? g.fleetRouting;
      // A service without version weights is one pool: each version gets the sum of its weights.
      const pooled: Record<string, number> | undefined = Object.keys(routing.versionWeights).length === 0 ? {} : undefined;
      for (let j = 0; j < g.slots.length; j++) {
        const i = g.slots[j]!;
        const inst = this.instances[i]!;
        const state = this.appliedStates.get(inst.id) ?? inst.adminState;
        const w = state === 'ready' && !fx.drained[i] ? (this.appliedWeights.get(inst.id) ?? INITIAL_WEIGHT) : 0;
        g.split[j]!.weight = w;
        if (pooled) pooled[inst.appVersion] = (pooled[inst.appVersion] ?? 0) + w;
      }
      let matchedFractions = this.ruleFractions.get(routing.headerRules);
      if (!matchedFractions) {
        matchedFractions = headerRuleFractions(routing.headerRules, this.cfg.headerMix);
        this.ruleFractions.set(routing.headerRules, matchedFractions);
      }
      const result = splitTraffic({
        routing: pooled ? { versionWeights: pooled, headerRules: routing.headerRules } : routing,
        instances: g.split,
        strategies,
        headerMix: this.cfg.headerMix,
        matchedFractions,
      });
      for (let j = 0; j < g.slots.length; j++) this.lambda[g.slots[j]!] = rps * (result.shares.get(g.split[j]!.id) ?? 0);
      g.routed = { routing: pooled ? { versionWeights: pooled, headerRules: routing.headerRules } : routing, matched: matchedFractions, byVersion: result.byVersion };
    }
  }

  /** Share of the requests routed to `slot` this tick that carry the cohort's header value. */
  private cohortShare(slot: number, cohort: Cohort): number {
    const g = this.groups[this.groupOfSlot[slot]!];
    if (!g?.routed) return 0;
    const canary = strategies.some((s) => s.name === 'canary' && s.enabled);
    return cohortShareOfVersion(this.instances[slot]!.appVersion, g.routed.routing, canary, g.routed.matched, g.routed.byVersion, cohortMixFraction(this.cfg.headerMix, cohort), cohort);
  }
}
