// The built-in simulator as a PlatformAdapter: the embedded default platform that makes the
// console alive on a fresh machine (SPEC §5). A seeded, deterministic model of SPEC §3 whose
// dynamics follow from the weights, routing, admin states and faults applied to it.
import type { AdminState, InstanceTelemetry, ServiceRouting } from '../../domain/model';
import type { FaultInjection, FaultKind, FaultSyncResult, FleetView, Measure, PlatformAdapter, PlatformCapabilities, PlatformTopology } from '../adapter';
import { describeIssues, simConfigSchema, type SimConfig, type SimControls } from './config';
import { SimEngine } from './engine';
import { COHORT_FAULT_KINDS } from './cohort';

const MEASURES: Measure[] = ['cpu', 'memory', 'p50', 'p95', 'p99', 'connections', 'rps', 'errors', 'stages', 'concurrency'];
const FAULTS: FaultKind[] = ['delay', 'loss', 'http-error', 'kill', 'drain', 'cpu-stress', 'buffer-saturation'];

/** Run synchronous work as a promise that rejects (never throws) on failure. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

export class SimAdapter implements PlatformAdapter {
  readonly kind = 'sim' as const;
  readonly config: SimConfig;
  private readonly engine: SimEngine;
  private closed = false;

  constructor(config: SimConfig) {
    const parsed = simConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`sim: invalid configuration: ${describeIssues(parsed.error)}`);
    this.config = parsed.data;
    this.engine = new SimEngine(parsed.data);
  }

  capabilities(): PlatformCapabilities {
    // Any header of the mix may scope a fault, but only faults on requests (COHORT_FAULT_KINDS) can be scoped.
    return { measures: [...MEASURES], faults: [...FAULTS], faultExpiryInPlatform: [...FAULTS], faultCohortHeaders: 'any', faultCohortKinds: [...COHORT_FAULT_KINDS], weights: true, routing: true, headerMatches: ['exact', 'prefix', 'regex'], latencyHistogram: true, adminState: true, discovery: false };
  }

  setFleet(fleet: FleetView): Promise<void> {
    return this.run(() => this.engine.setFleet(fleet));
  }

  describe(): Promise<PlatformTopology> {
    return this.run(() => this.engine.describe());
  }

  readTelemetry(at: Date): Promise<InstanceTelemetry[]> {
    return this.run(() => this.engine.tick(at));
  }

  applyWeights(weights: ReadonlyArray<{ instanceId: string; weight: number }>): Promise<void> {
    return this.run(() => this.engine.applyWeights(weights));
  }

  applyServiceRouting(serviceId: string, routing: ServiceRouting): Promise<void> {
    return this.run(() => this.engine.applyServiceRouting(serviceId, routing));
  }

  setInstanceState(instanceId: string, state: AdminState): Promise<void> {
    return this.run(() => this.engine.setInstanceState(instanceId, state));
  }

  injectFault(fault: FaultInjection): Promise<void> {
    return this.run(() => this.engine.injectFault(fault));
  }

  removeFault(faultId: string): Promise<void> {
    return this.run(() => this.engine.faults.remove(faultId));
  }

  /**
   * Converge to exactly `desired`: each valid fault is stored (the same id again replaces it, so a
   * later expiresAt extends it; the simulator's clock drops it at expiresAt by itself, the dead man's
   * switch), everything else is removed — including an earlier version of a fault now refused, so
   * the platform never carries what Switchback did not ask for.
   */
  syncFaults(desired: readonly FaultInjection[]): Promise<FaultSyncResult> {
    return this.run(() => {
      const failed: FaultSyncResult['failed'] = [];
      const valid = new Map<string, FaultInjection>();
      for (const f of desired) {
        try {
          if (valid.has(f.id)) throw new Error(`sim: fault ${f.id} appears twice in the desired set`);
          valid.set(f.id, this.engine.validateFault(f));
        } catch (err) {
          failed.push({ id: String(f.id), error: err instanceof Error ? err.message : String(err) });
        }
      }
      for (const f of this.engine.faults.list(undefined)) if (!valid.has(f.id)) this.engine.faults.remove(f.id);
      for (const f of valid.values()) this.engine.faults.inject(f);
      return { failed };
    });
  }

  /** The faults active at the simulator's clock (the time of the last readTelemetry). */
  listFaults(): Promise<FaultInjection[]> {
    return this.run(() => this.engine.faults.list(this.engine.now));
  }

  /** Replace the demand and stress controls (each ignored once its `until` has passed) and the version behaviour. */
  setControls(controls: SimControls): void {
    this.assertOpen();
    this.engine.setControls(controls);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('sim: the adapter is closed');
  }

  private run<T>(work: () => T): Promise<T> {
    return settle(() => {
      this.assertOpen();
      return work();
    });
  }
}

export function createSimAdapter(config: SimConfig): SimAdapter {
  return new SimAdapter(config);
}
