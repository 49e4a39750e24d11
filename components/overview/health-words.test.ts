import { describe, expect, it } from 'vitest';
import type { FleetHealth } from '@/server/services/topology/fleet-health';
import { healthSummary } from './health-words';

const fleet = (over: Partial<FleetHealth> = {}): FleetHealth => ({
  at: '2026-12-05T09:00:00.000Z',
  instances: 10_004,
  sampled: 10_004,
  unhealthy: 0,
  down: 0,
  degraded: 0,
  openBreakers: 0,
  halfOpenBreakers: 0,
  blockedStages: 0,
  blockedInstances: 0,
  rolloutsRunning: 0,
  experimentsRunning: 0,
  ...over,
});

describe('healthSummary', () => {
  it('says "All healthy" in words when nothing calls for a look', () => {
    const s = healthSummary(fleet());
    expect(s.healthy).toBe(true);
    expect(s.headline).toBe('All healthy: 10,004 of 10,004 instances reporting, none degraded or down, no breaker open, no stage blocked.');
    expect(s.lines.filter((l) => l.alert)).toEqual([]);
    expect(s.lines.map((l) => l.text)).toContain('0 rollouts running');
  });

  it('counts what is wrong, each line a link to the filtered view', () => {
    const s = healthSummary(fleet({ unhealthy: 3, degraded: 2, down: 1, openBreakers: 1, blockedStages: 5, blockedInstances: 4, rolloutsRunning: 1, experimentsRunning: 2, sampled: 10_000 }));
    expect(s.healthy).toBe(false);
    expect(s.headline).toBe('3 of 10,004 instances need a look (down, degraded or behind an open breaker); 4 without a sample in the newest tick.');
    const by = Object.fromEntries(s.lines.map((l) => [l.key, l]));
    expect(by.degraded).toEqual({ key: 'degraded', text: '2 of 10,004 instances degraded', href: '/topology?view=placement&unhealthy=1', alert: true });
    expect(by.open).toMatchObject({ text: '1 breaker open', href: '/machines?machine=breaker&state=open', alert: true });
    expect(by.blocked).toMatchObject({ text: '5 stages blocked on 4 instances', href: '/machines?machine=stage&state=blocked', alert: true });
    expect(by.rollouts).toMatchObject({ text: '1 rollout running', href: '/rollouts?state=in-flight', alert: false });
    expect(by.runs).toMatchObject({ text: '2 experiment runs running', href: '/experiments?state=in-flight' });
  });

  it('a half-open breaker alone is not "All healthy"', () => {
    expect(healthSummary(fleet({ halfOpenBreakers: 1 })).healthy).toBe(false);
  });

  it('says when there is no telemetry yet', () => {
    expect(healthSummary(fleet({ at: null, sampled: 0 }))).toEqual({ healthy: false, headline: 'No telemetry yet: the health of 10,004 instances shows with the first tick.', lines: [] });
  });
});
