import { describe, expect, it } from 'vitest';
import { faultRefusals } from '@/server/domain/experiments/refusals';
import { selectTargets, type TargetCandidate } from '@/server/domain/experiments/selection';
import { experimentSpecSchema } from '@/server/domain/experiments/spec';
import { refusalField, refusalsByField } from './refusal-fields';

const inst = (n: number, zone: string): TargetCandidate => ({ id: `i${n}`, name: `edge-${n}`, service: 'edge-gateway', version: '1.0.0', region: 'eu', zone, cluster: `${zone}-c`, labels: {}, adminState: 'ready' });
const fleet = [inst(1, 'a'), inst(2, 'a'), inst(3, 'b'), inst(4, 'b')];
const spec = (over: object) => experimentSpecSchema.parse({ fault: { kind: 'delay', delayMs: 200, jitterMs: 300 }, targets: { regions: [], zones: [], clusters: [], services: ['edge-gateway'], versions: [], labels: {} }, durationS: 60, ...over });

describe('preview refusals next to the fields they are about', () => {
  it('maps what the domain actually says (so a change of its wording fails here, not silently in the editor)', () => {
    const svc = selectTargets({ spec: spec({ blastRadius: { maxServicePct: 50, maxZonePct: null, maxClusterPct: null } }), instances: fleet, globalMaxPct: 100, seed: 's' });
    expect(Object.keys(refusalsByField(svc.refusals))).toEqual(['spec.blastRadius.maxServicePct']);
    const admin = selectTargets({ spec: spec({ blastRadius: { maxServicePct: 100, maxZonePct: null, maxClusterPct: null } }), instances: fleet, globalMaxPct: 25, seed: 's' });
    // The admin's 25 % bounds zones and clusters too: 4 of 4 is also 2 of each zone's 2.
    expect(Object.keys(refusalsByField(admin.refusals))).toEqual(['spec.blastRadius.maxServicePct', 'spec.blastRadius.maxZonePct', 'spec.blastRadius.maxClusterPct']);
    const zone = selectTargets({ spec: spec({ selection: { mode: 'count', count: 2 }, targets: { regions: [], zones: ['a'], clusters: [], services: ['edge-gateway'], versions: [], labels: {} }, blastRadius: { maxServicePct: 100, maxZonePct: 50, maxClusterPct: 60 } }), instances: fleet, globalMaxPct: 100, seed: 's' });
    expect(refusalsByField(zone.refusals)).toEqual({ 'spec.blastRadius.maxZonePct': [expect.any(String)], 'spec.blastRadius.maxClusterPct': [expect.any(String)] });
    const count = selectTargets({ spec: spec({ selection: { mode: 'count', count: 9 } }), instances: fleet, globalMaxPct: 100, seed: 's' });
    expect(Object.keys(refusalsByField(count.refusals))).toEqual(['spec.selection.count']);
    const kill = faultRefusals(spec({ fault: { kind: 'kill' }, cohort: { header: 'X-Abtest-Group', value: 'v2' } }), { kind: 'haproxy', faults: ['delay'], faultExpiryInPlatform: [], faultCohortHeaders: [] });
    expect(kill.refusals.map(refusalField)).toEqual(['spec.fault.kind', 'spec.cohort.header']);
    const none = selectTargets({ spec: spec({ targets: { regions: [], zones: [], clusters: [], services: ['nope'], versions: [], labels: {} } }), instances: fleet, globalMaxPct: 100, seed: 's' });
    expect(none.refusals.map(refusalField)).toEqual([null]);
  });

  it('puts blast-radius refusals next to the cap that refused', () => {
    expect(refusalField("edge-gateway: 6 of 6 instances (100 %) — over the blast-radius cap of 50 % (this experiment's cap) by 3 instances; select at most 3, narrow the targets, or raise the experiment's cap to 100 %")).toBe('spec.blastRadius.maxServicePct');
    expect(refusalField("edge-gateway: 6 of 6 instances (100 %) — over the blast-radius cap of 25 % (the admin's maximum) by 5 instances; select at most 1, or narrow the targets")).toBe('spec.blastRadius.maxServicePct');
    expect(refusalField("zone eu-west-1a: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (this experiment's zone cap) by 1 instance; select at most 1")).toBe('spec.blastRadius.maxZonePct');
    expect(refusalField("cluster c1: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (this experiment's cluster cap) by 1 instance; select at most 1")).toBe('spec.blastRadius.maxClusterPct');
    expect(refusalField("service edge-gateway: 6 of 6 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 3 instances; select at most 3, or narrow the targets")).toBe('spec.blastRadius.maxServicePct');
    expect(refusalField("zone eu-west-a: 2 of 2 instances (100 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 1, or narrow the targets")).toBe('spec.blastRadius.maxZonePct');
    expect(refusalField("cluster c1: 3 of 4 instances (75 %) — over the blast-radius cap of 50 % (the admin's maximum) by 1 instance; select at most 2, or narrow the targets")).toBe('spec.blastRadius.maxClusterPct');
  });

  it('puts selection, cohort and fault-kind refusals next to their fields, and leaves the rest to the list', () => {
    expect(refusalField('The selection asks for 9 instances but only 3 match: lower the count to 3 or widen the targets')).toBe('spec.selection.count');
    expect(refusalField('The HAProxy adapter cannot scope a fault to a cohort (requests carrying X: y): remove the cohort to hit every request of the targets')).toBe('spec.cohort.header');
    expect(refusalField('The HAProxy adapter cannot inject cpu-stress (a proxy cannot); choose one it supports: delay')).toBe('spec.fault.kind');
    expect(refusalField('No instance matches service nope: change the targets')).toBeNull();
    expect(refusalsByField(['No instance matches service nope: change the targets'])).toEqual({});
  });
});
