// The one interface through which workers drive a platform: the built-in simulator, HAProxy +
// Prometheus, later Kubernetes and Envoy. Designed for real infrastructure: every call can fail
// or be slow, instances are addressed by the registry's view of them, and a platform says what it
// cannot do instead of pretending.
import type { AdminState, HeaderMatch, InstanceTelemetry, ServiceRouting } from '../domain/model';
import type { FaultSpecValue } from '../domain/experiments/spec';

export type Measure = 'cpu' | 'memory' | 'p50' | 'p95' | 'p99' | 'connections' | 'rps' | 'errors' | 'stages' | 'concurrency';

/** SPEC §3.7 faults; validated by server/domain/experiments/spec.ts faultSpecSchema. */
export type FaultSpec = FaultSpecValue;
export type FaultKind = FaultSpec['kind'];

/** A fault on the platform. Always carries an expiry: a platform may remove it on its own then. */
export interface FaultInjection {
  id: string;
  instanceId: string;
  /** A whole backend / service-level target where the platform has one (HAProxy), instead of one instance. */
  backend?: string;
  spec: FaultSpec;
  /** Only requests carrying this header value are affected (capabilities().faultCohort); absent = all. */
  cohort?: { header: string; value: string };
  /**
   * When the platform drops the fault by itself. Switchback pushes min(lease, hard expiry) here and
   * moves it forward every tick while the run's controller renews its lease (a dead man's switch).
   */
  expiresAt: Date;
}

/** What syncFaults could not do, per fault, in words (capability refused, server unknown). */
export interface FaultSyncResult {
  failed: Array<{ id: string; error: string }>;
}

export interface PlatformCapabilities {
  /** What readTelemetry fills in; the UI greys out the rest. */
  measures: Measure[];
  /**
   * Measures that are approximations, in words for the UI, e.g. p95: "HAProxy rtime: the mean
   * of the last 1,024 requests, not a percentile". Absent = measured as named.
   */
  approximations?: Partial<Record<Measure, string>>;
  faults: FaultKind[];
  /** Fault kinds the platform expires by itself at FaultInjection.expiresAt (no worker needed). */
  faultExpiryInPlatform: FaultKind[];
  /** Faults can be scoped to requests carrying a header (FaultInjection.cohort); [] = not at all. */
  faultCohortHeaders: 'any' | string[];
  /** Fault kinds that honour a cohort (a kill or drain hits the whole instance); absent = every kind in `faults`. */
  faultCohortKinds?: FaultKind[];
  /** Cohort header values the platform cannot scope by (HAProxy: its map's "no cohort" default `*`); absent = none. */
  faultCohortReservedValues?: string[];
  /** HTTP statuses an http-error fault can return; absent = any 400–599. */
  faultErrorStatuses?: number[];
  /** Packet loss hits a whole service (HAProxy resets before a server is chosen), never one instance; absent = false. */
  faultLossWholeServiceOnly?: boolean;
  /** Fault percentages must be whole numbers (HAProxy draws rand(100)); absent = any fraction. */
  faultWholePercentOnly?: boolean;
  weights: boolean;
  /** Version split and header rules per service. */
  routing: boolean;
  /** How header rules may match (a rollout using another kind is refused in words); [] = none. */
  headerMatches: HeaderMatch[];
  /** Headers a rule may test; absent = any header. */
  routingHeaders?: string[];
  /** readTelemetry fills latencyBuckets (a histogram per tick), which latency analysis needs. */
  latencyHistogram: boolean;
  adminState: boolean;
  /** describe() reports the platform's own topology (otherwise the registry is the only source). */
  discovery: boolean;
}

/** The registry's view of the fleet that the worker hands to the adapter (ids are ours). */
export interface FleetInstance {
  id: string;
  name: string;
  serviceId: string;
  serviceName: string;
  appVersion: string;
  region: string;
  zone: string;
  cluster: string;
  /** host:port where the platform has one; empty for the simulator. */
  address: string;
  adminState: AdminState;
}

export interface FleetService {
  id: string;
  name: string;
  routing: ServiceRouting;
}

export interface FleetView {
  services: FleetService[];
  instances: FleetInstance[];
}

/** What a platform can see of itself (for discovery and for drift reports). */
export interface PlatformTopology {
  instances: Array<{
    name: string;
    service: string;
    address: string;
    up: boolean;
    /** Where the platform knows them (a mapping may say); the registry import fills in defaults. */
    version?: string;
    region?: string;
    zone?: string;
    cluster?: string;
  }>;
}

export interface PlatformAdapter {
  readonly kind: string;
  capabilities(): PlatformCapabilities;
  /** Tell the adapter which instances and services exist; called at start and on registry change. */
  setFleet(fleet: FleetView): Promise<void>;
  describe(): Promise<PlatformTopology>;
  /**
   * The part of the registry this platform steers (HAProxy: the instances its mapping names).
   * Absent = the whole registry.
   */
  scope?(fleet: FleetView): FleetView;
  /** Telemetry for one tick at `at`; one entry per instance of the fleet the platform could see. */
  readTelemetry(at: Date): Promise<InstanceTelemetry[]>;
  /** Effective routing weights, 0..base, for any subset of instances. */
  applyWeights(weights: ReadonlyArray<{ instanceId: string; weight: number }>): Promise<void>;
  applyServiceRouting(serviceId: string, routing: ServiceRouting): Promise<void>;
  setInstanceState(instanceId: string, state: AdminState): Promise<void>;
  injectFault(fault: FaultInjection): Promise<void>;
  removeFault(faultId: string): Promise<void>;
  /** The faults the platform carries now, so a reaper can remove what lost its owner. */
  listFaults(): Promise<FaultInjection[]>;
  /**
   * Converge the platform's faults to exactly `desired` (idempotent): inject or update each (its
   * expiresAt moves the in-platform expiry), remove every fault not in it. A fault the platform
   * refuses is reported in `failed` and the rest still applied.
   */
  syncFaults(desired: readonly FaultInjection[]): Promise<FaultSyncResult>;
  close(): Promise<void>;
}

export class CapabilityError extends Error {
  constructor(
    readonly adapter: string,
    readonly what: string,
  ) {
    super(`the ${adapter} adapter cannot ${what}`);
  }
}
