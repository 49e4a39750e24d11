// The built-in simulator as a PlatformAdapter: the embedded default platform that makes the
// console alive on a fresh machine (SPEC §5). A seeded, deterministic model of SPEC §3 whose
// dynamics follow from the weights, routing, admin states and faults applied to it.
import type { AdminState, InstanceTelemetry, ServiceRouting } from '../../domain/model';
import type { FaultInjection, FaultKind, FaultSyncResult, FleetView, Measure, PlatformAdapter, PlatformCapabilities, PlatformTopology } from '../adapter';
import { describeIssues, simConfigSchema, type SimConfig, type SimControls } from './config';
import { SimEngine } from './engine';

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
    return { measures: [...MEASURES], faults: [...FAULTS], faultExpiryInPlatform: [...FAULTS], faultCohortHeaders: 'any', weights: true, routing: true, headerMatches: ['exact', 'prefix', 'regex'], latencyHistogram: true, adminState: true, discovery: false };
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

  syncFaults(desired: readonly FaultInjection[]): Promise<FaultSyncResult> {
    return this.run(() => {
      const keep = new Set(desired.map((f) => f.id));
      for (const f of this.engine.faults.list(undefined)) if (!keep.has(f.id)) this.engine.faults.remove(f.id);
      const failed: FaultSyncResult['failed'] = [];
      for (const f of desired) {
        try {
          this.engine.injectFault(f);
        } catch (err) {
          failed.push({ id: f.id, error: err instanceof Error ? err.message : String(err) });
        }
      }
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
