// The evidence a canary analysis reads (SPEC §6.1): per tick, service, app version and zone, the
// instances that reported, their requests, errors and latency histogram summed. Pure: the loop
// hands it the fleet and the tick's telemetry and persists what it returns.
import { LATENCY_BUCKET_COUNT } from '../../domain/latency-buckets';
import type { InstanceTelemetry } from '../../domain/model';

export interface VersionSampleRow {
  serviceId: string;
  appVersion: string;
  zone: string;
  /** Instances of this version in this zone that were up this tick. */
  instances: number;
  requests: number;
  /** Failed requests: errors and timeouts (as the error rate of the samples counts them). */
  errors: number;
  /** Summed latency buckets of the instances that had a histogram; [] when none had one. */
  buckets: number[];
}

export interface VersionSampleInstance {
  id: string;
  serviceId: string;
  appVersion: string;
  zone: string;
}

/**
 * One row per (service, version, zone) of the fleet, in a stable order (service, version, zone),
 * including groups whose instances are all down (instances 0), so "no traffic" is recorded too.
 */
export function aggregateVersionSamples(fleet: readonly VersionSampleInstance[], telemetry: ReadonlyMap<string, InstanceTelemetry>): VersionSampleRow[] {
  // Nested maps rather than one joined key: no string built per instance and tick.
  const groups = new Map<string, Map<string, Map<string, VersionSampleRow>>>();
  const rows: VersionSampleRow[] = [];
  for (const inst of fleet) {
    let byVersion = groups.get(inst.serviceId);
    if (!byVersion) groups.set(inst.serviceId, (byVersion = new Map<string, Map<string, VersionSampleRow>>()));
    let byZone = byVersion.get(inst.appVersion);
    if (!byZone) byVersion.set(inst.appVersion, (byZone = new Map<string, VersionSampleRow>()));
    let row = byZone.get(inst.zone);
    if (!row) {
      row = { serviceId: inst.serviceId, appVersion: inst.appVersion, zone: inst.zone, instances: 0, requests: 0, errors: 0, buckets: [] };
      byZone.set(inst.zone, row);
      rows.push(row);
    }
    const t = telemetry.get(inst.id);
    if (!t?.up) continue;
    row.instances++;
    row.requests += t.requests ?? 0;
    row.errors += (t.errors ?? 0) + (t.timeouts ?? 0);
    const b = t.latencyBuckets;
    if (b && b.length === LATENCY_BUCKET_COUNT) {
      if (row.buckets.length === 0) row.buckets = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
      for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) row.buckets[i]! += b[i]!;
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.serviceId, b.serviceId) || cmp(a.appVersion, b.appVersion) || cmp(a.zone, b.zone));
}
