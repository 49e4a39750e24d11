import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeDefaultPolicies, makeFleet } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';
import { listEdgeTransitions, getMachineView } from './machines';
import { publishPolicy } from '../policies/policies';

let t: TestDb;
const now = Date.now();
const range = { from: now - 600_000, to: now + 60_000 };
beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db, ['watermark']);
  await makeFleet(t.db, {
    regions: [{ name: 'r', zones: [{ name: 'za', clusters: ['ca'] }, { name: 'zb', clusters: ['cb'] }] }],
    services: [{ name: 'api', placement: [{ cluster: 'ca', versions: { v1: 1 } }, { cluster: 'cb', versions: { v1: 1 } }] }],
  });
  const [a, b] = await t.db.instance.findMany({ orderBy: { name: 'asc' } });
  const tick = await t.db.tick.create({ data: { startedAt: new Date(now), finishedAt: new Date(now), durationMs: 1, instances: 2, skippedSoFar: 0, leader: 'x' } });
  const tr = (instanceId: string, s: number, machine: 'stage' | 'degradation' | 'breaker', from: string, to: string, stage = '') => ({ at: new Date(now - s * 1000), tickId: tick.id, instanceId, machine, stage, fromState: from, toState: to, cause: `${from} to ${to}`, values: { fill: 0.97 } });
  await t.db.stateTransition.createMany({
    data: [tr(a!.id, 100, 'degradation', 'L0', 'L2'), tr(a!.id, 50, 'degradation', 'L2', 'L1'), tr(b!.id, 40, 'degradation', 'L0', 'L2'), tr(b!.id, 30, 'stage', 'active', 'blocked', 'execution'), tr(a!.id, 5000, 'degradation', 'L0', 'L1'),
      tr(a!.id, 20, 'breaker', 'closed', 'open'), tr(b!.id, 20, 'breaker', 'closed', 'open', 'access')],
  });
  const sample = (instanceId: string, degradation: number, stageState: string[]) => ({ instanceId, at: new Date(now - 1000), tickId: tick.id, targetWeight: 50, effectiveWeight: 50, degradation, breaker: 'closed', stageFill: [0, 0, 0, 0, 0.97], stageState });
  await t.db.telemetrySample.createMany({ data: [sample(a!.id, 1, ['active', 'active', 'idle', 'idle', 'active']), sample(b!.id, 2, ['active', 'active', 'active', 'active', 'blocked'])] });
});
afterAll(() => t.close());

describe('machines', () => {
  it('counts each edge in the range, the fleet per state now, and lights one instance’s state', async () => {
    const fleet = await getMachineView(t.db, { machine: 'degradation', ...range });
    expect(fleet.fired).toEqual({ 'L0>L2': 2, 'L2>L1': 1 });
    expect(fleet.now).toEqual({ L0: 0, L1: 1, L2: 1, L3: 0 });
    expect(fleet.current).toBeNull();
    const one = await getMachineView(t.db, { machine: 'degradation', ...range, instance: 'api-ca-v1-1' });
    expect([one.fired, one.current]).toEqual([{ 'L0>L2': 1, 'L2>L1': 1 }, 'L1']);
    const zb = await t.db.zone.findUniqueOrThrow({ where: { name: 'zb' } });
    const blocked = await getMachineView(t.db, { machine: 'stage', ...range, zoneId: zb.id, stage: 'execution' });
    expect([blocked.now.blocked, blocked.fired['active>blocked']]).toEqual([1, 1]);
    // The ingress isolation (recorded as the access stage's breaker) has triggers of its own: not this machine's edges.
    expect((await getMachineView(t.db, { machine: 'breaker', ...range })).fired).toEqual({ 'closed>open': 1 });
    expect((await listEdgeTransitions(t.db, { machine: 'breaker', ...range, fromState: 'closed', toState: 'open' })).map((r) => r.instance)).toEqual(['api-ca-v1-1']);
  });

  it('lists the transitions behind an edge with their values, and labels edges from the service’s policy', async () => {
    const rows = await listEdgeTransitions(t.db, { machine: 'degradation', ...range, fromState: 'L0', toState: 'L2' });
    expect(rows.map((r) => [r.instance, r.values])).toEqual([['api-cb-v1-1', { fill: 0.97 }], ['api-ca-v1-1', { fill: 0.97 }]]);
    const svc = await t.db.service.findUniqueOrThrow({ where: { name: 'api' } });
    await publishPolicy(t.db, { id: null, name: 'alice' }, { kind: 'watermark', scope: `service:${svc.id}`, expectedVersion: 0, document: { ...defaultPolicies.watermark, breakPct: 88 }, message: 'x' });
    const v = await getMachineView(t.db, { machine: 'degradation', ...range, instance: 'api-ca-v1-1' });
    expect(v.diagram.edges.find((e) => e.id === 'L0>L2')!.trigger).toBe('a buffer ≥ 88 % for 5 s (stage broken)');
    await expect(getMachineView(t.db, { machine: 'degradation', ...range, instance: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
