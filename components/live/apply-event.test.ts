import { describe, expect, it } from 'vitest';
import type { LiveEventData } from '@/server/live/topics';
import type { OverviewData } from '@/server/services/topology/topology';
import { mergeServiceChange, planLiveEvent } from './apply-event';

// `string`: the client must also cope with topics a newer server sends.
const event = (topic: string, payload: Record<string, unknown> = {}): LiveEventData =>
  ({ id: '41', at: '2025-01-01T00:00:00.000Z', topic, payload }) as LiveEventData;

const service = (over: Partial<OverviewData['services'][number]> = {}): OverviewData['services'][number] => ({
  id: 's-1',
  name: 'order-api',
  description: 'Orders',
  version: 3,
  appliedVersion: 3,
  instances: 30,
  byAppVersion: { v1: 25, v2: 5 },
  zones: 3,
  updatedAt: new Date('2025-01-01T00:00:00Z'),
  ...over,
});

const overview = (services = [service(), service({ id: 's-2', name: 'cart-api', version: 1, appliedVersion: 1 })]): OverviewData => ({
  counts: { regions: 1, zones: 3, clusters: 6, services: services.length, instances: 60 },
  instancesByState: { ready: 58, drain: 2 },
  services,
  regions: [],
});

const paths = (topic: string) => planLiveEvent(event(topic)).invalidate.map((p) => p.join('.'));

describe('planLiveEvent', () => {
  it('refetches the users list when a user changes', () => {
    expect(paths('user.changed')).toContain('users');
  });

  it('refetches the overview when a service changes', () => {
    expect(paths('service.changed')).toContain('topology.overview');
  });

  it('refetches everything under topology when the topology changes', () => {
    expect(paths('topology.changed')).toContain('topology');
  });

  it('refetches system health and workers when a worker changes', () => {
    expect(paths('worker.changed')).toContain('system');
  });

  it.each(['user.changed', 'service.changed', 'topology.changed', 'audit.appended', 'worker.changed'])(
    'always refetches the audit list (%s)',
    (topic) => {
      expect(paths(topic)).toContain('audit');
    },
  );

  it('refetches the banner, rollouts, experiments and timeline when halt or freeze windows change', () => {
    expect(paths('safety.changed')).toEqual(expect.arrayContaining(['safety', 'rollouts', 'experiments', 'timeline', 'audit']));
  });

  it('refetches the experiments pages when an experiment or its run changes', () => {
    expect(paths('experiment.changed')).toEqual(expect.arrayContaining(['experiments', 'timeline']));
  });

  it('does not refetch unrelated data', () => {
    expect(paths('service.changed')).not.toContain('users');
    expect(paths('user.changed')).not.toContain('topology.overview');
    expect(paths('audit.appended')).toEqual(['audit']);
  });

  it('lists each prefix once', () => {
    for (const topic of ['user.changed', 'audit.appended', 'service.changed']) {
      const list = paths(topic);
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('still refreshes the audit list for a topic this client does not know yet', () => {
    expect(paths('chaos.future-topic')).toEqual(['audit']);
  });

  it('a rollout change refreshes the rollout pages, the machines and the timeline', () => {
    expect(paths('rollout.changed')).toEqual(['rollouts', 'machines', 'timeline', 'audit']);
  });

  it('returns fresh arrays the caller may not use to corrupt the next plan', () => {
    const first = planLiveEvent(event('user.changed'));
    first.invalidate[0]!.push('oops');
    expect(planLiveEvent(event('user.changed')).invalidate[0]).toEqual(['users']);
  });
});

describe('mergeServiceChange', () => {
  it('patches a rename and a new description into the matching service only', () => {
    const before = overview();
    const after = mergeServiceChange(before, { id: 's-1', name: 'orders', description: 'Order intake', version: 4 });
    expect(after.services[0]).toMatchObject({ id: 's-1', name: 'orders', description: 'Order intake', version: 4, instances: 30 });
    expect(after.services[1]).toBe(before.services[1]);
  });

  it('does not mutate the cached data it was given', () => {
    const before = overview();
    mergeServiceChange(before, { id: 's-1', name: 'orders', version: 4 });
    expect(before.services[0]!.name).toBe('order-api');
    expect(before.services[0]!.version).toBe(3);
  });

  it('keeps the row in place after a rename (no re-sort)', () => {
    const after = mergeServiceChange(overview(), { id: 's-1', name: 'zz-last', version: 4 });
    expect(after.services.map((s) => s.id)).toEqual(['s-1', 's-2']);
  });

  it('moves appliedVersion forward on a convergence event', () => {
    const before = overview([service({ version: 4, appliedVersion: 3 })]);
    const after = mergeServiceChange(before, { id: 's-1', appliedVersion: 4 });
    expect(after.services[0]!.appliedVersion).toBe(4);
    expect(after.services[0]!.version).toBe(4);
  });

  it('ignores an edit older than the cached row (replayed backlog)', () => {
    const before = overview([service({ name: 'orders-v2', version: 5 })]);
    const after = mergeServiceChange(before, { id: 's-1', name: 'order-api', version: 4 });
    expect(after).toBe(before);
    expect(after.services[0]!.name).toBe('orders-v2');
  });

  it('never moves appliedVersion backwards', () => {
    const before = overview([service({ version: 5, appliedVersion: 5 })]);
    expect(mergeServiceChange(before, { id: 's-1', appliedVersion: 4 })).toBe(before);
  });

  it('ignores an edit that carries no version', () => {
    const before = overview();
    expect(mergeServiceChange(before, { id: 's-1', name: 'orders' })).toBe(before);
  });

  it('leaves the overview alone for an unknown service (the refetch adds it)', () => {
    const before = overview();
    expect(mergeServiceChange(before, { id: 's-9', name: 'new-api', version: 1 })).toBe(before);
  });

  it('ignores fields of the wrong type', () => {
    const before = overview();
    const after = mergeServiceChange(before, { id: 's-1', name: 42, description: null, version: '4', appliedVersion: 'x' });
    expect(after).toBe(before);
  });

  it('returns the same object when the event changes nothing', () => {
    const before = overview();
    expect(mergeServiceChange(before, { id: 's-1', name: 'order-api', description: 'Orders', version: 3 })).toBe(before);
  });
});
