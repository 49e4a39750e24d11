import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_COUNT } from '../../domain/latency-buckets';
import type { InstanceTelemetry } from '../../domain/model';
import { aggregateVersionSamples, type VersionSampleInstance } from './version-samples';

const inst = (id: string, appVersion: string, zone: string, serviceId = 's1'): VersionSampleInstance => ({ id, serviceId, appVersion, zone });
const hist = (at: number, n: number) => Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => (i === at ? n : 0));
const tele = (...ts: InstanceTelemetry[]) => new Map(ts.map((t) => [t.instanceId, t]));

describe('aggregateVersionSamples', () => {
  it('sums instances, requests, errors (with timeouts) and buckets per service × version × zone', () => {
    const fleet = [inst('a', 'v1', 'z1'), inst('b', 'v1', 'z1'), inst('c', 'v2', 'z1'), inst('d', 'v1', 'z2'), inst('e', 'v1', 'z1', 's2')];
    const rows = aggregateVersionSamples(
      fleet,
      tele(
        { instanceId: 'a', up: true, requests: 100, errors: 2, timeouts: 1, latencyBuckets: hist(3, 100) },
        { instanceId: 'b', up: true, requests: 50, errors: 0, timeouts: 0, latencyBuckets: hist(4, 50) },
        { instanceId: 'c', up: true, requests: 10, errors: 5, latencyBuckets: hist(4, 10) },
        { instanceId: 'd', up: true, requests: 7, errors: 1 },
        { instanceId: 'e', up: true, requests: 3, errors: 0, latencyBuckets: hist(0, 3) },
      ),
    );
    expect(rows).toEqual([
      { serviceId: 's1', appVersion: 'v1', zone: 'z1', instances: 2, requests: 150, errors: 3, buckets: addUp(hist(3, 100), hist(4, 50)) },
      { serviceId: 's1', appVersion: 'v1', zone: 'z2', instances: 1, requests: 7, errors: 1, buckets: [] },
      { serviceId: 's1', appVersion: 'v2', zone: 'z1', instances: 1, requests: 10, errors: 5, buckets: hist(4, 10) },
      { serviceId: 's2', appVersion: 'v1', zone: 'z1', instances: 1, requests: 3, errors: 0, buckets: hist(0, 3) },
    ]);
  });

  it('records a group whose instances are down or missing with zero counts, and ignores their numbers', () => {
    const rows = aggregateVersionSamples([inst('a', 'v2', 'z1'), inst('b', 'v2', 'z1')], tele({ instanceId: 'a', up: false, requests: 99, errors: 9, latencyBuckets: hist(1, 99) }));
    expect(rows).toEqual([{ serviceId: 's1', appVersion: 'v2', zone: 'z1', instances: 0, requests: 0, errors: 0, buckets: [] }]);
  });

  it('does not alias an instance histogram (summing never changes the telemetry)', () => {
    const h = hist(2, 5);
    const rows = aggregateVersionSamples([inst('a', 'v1', 'z1'), inst('b', 'v1', 'z1')], tele({ instanceId: 'a', up: true, requests: 5, latencyBuckets: h }, { instanceId: 'b', up: true, requests: 5, latencyBuckets: hist(2, 5) }));
    expect(rows[0]!.buckets[2]).toBe(10);
    expect(h[2]).toBe(5);
  });
});

function addUp(a: number[], b: number[]) {
  return a.map((x, i) => x + b[i]!);
}
