import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../test/context';
import { rolloutSpecSchema } from '../server/domain/rollouts/spec';
import { nextState, type RolloutState } from '../server/domain/rollouts/machine';
import { getRollout } from '../server/services/rollouts/rollout-reads';
import { rolloutTemplate } from '../server/services/rollouts/rollout-preview';
import { seedIfEmpty } from './seed';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await seedIfEmpty(t.db, { adminName: 'admin', demo: true });
});
afterAll(() => t.close());

describe('the demo seed: rollouts', () => {
  it('writes a valid rollout template per service, with that service’s versions', async () => {
    const services = await t.db.service.findMany({ include: { instances: { select: { appVersion: true } } } });
    const templates = await t.db.rolloutTemplate.findMany();
    expect(templates).toHaveLength(services.length);
    for (const s of services) {
      const spec = rolloutSpecSchema.parse(templates.find((x) => x.serviceId === s.id)!.spec);
      expect(spec.service).toBe(s.name);
      expect(s.instances.map((i) => i.appVersion)).toContain(spec.stableVersion);
    }
    const order = rolloutSpecSchema.parse(templates.find((x) => x.serviceId === services.find((s) => s.name === 'order-api')!.id)!.spec);
    expect([order.stableVersion, order.canaryVersion]).toEqual(['v1', 'v2']);
    expect(await rolloutTemplate(t.db, { service: 'order-api' })).toMatchObject({ source: 'template' });
    expect(await rolloutTemplate(t.db, { service: 'payment-svc' })).toMatchObject({ source: 'last-rollout' });
  });

  it('includes one succeeded rollout whose events follow the machine, with its step runs, approval decision and passing analyses', async () => {
    const rollouts = await t.db.rollout.findMany();
    expect(rollouts).toHaveLength(1);
    const r = rollouts[0]!;
    expect(r.state).toBe('succeeded');
    const spec = rolloutSpecSchema.parse(r.spec);
    const view = await getRollout(t.db, { id: (await t.db.user.findFirstOrThrow()).id }, { id: r.id });
    expect(view.steps.every((s) => s.run?.state === 'done')).toBe(true);
    expect(view.promotion?.state).toBe('done');
    expect(view.approvals).toEqual([expect.objectContaining({ request: expect.objectContaining({ state: 'approved' }) as unknown, decisions: [expect.objectContaining({ approverName: 'bob', decision: 'approve' })] })]);
    expect(view.analyses.map((a) => [a.kind, a.verdict])).toEqual([['background', 'pass'], ['step', 'pass']]);
    // Every state event is a transition the machine allows, in order, from pending to succeeded.
    const states = await t.db.rolloutEvent.findMany({ where: { rolloutId: r.id, kind: 'state' }, orderBy: { id: 'asc' } });
    let at: RolloutState = 'pending';
    for (const e of states) {
      expect(e.fromState).toBe(at);
      const event = (e.data as { event?: string }).event;
      expect(event === undefined || nextState(at, { type: event } as never) === e.toState).toBe(true);
      at = e.toState!;
    }
    expect(at).toBe('succeeded');
    expect(states.length).toBe(spec.steps.length + 3);
  });
});
