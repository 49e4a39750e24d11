import { describe, expect, it } from 'vitest';
import { initialRuntime, stepInstance, type InstanceRuntime } from './instance-step';
import type { AdminState, FleetPolicies, InstanceTelemetry, RecomputeTrigger, Transition } from './model';
import { defaultPolicies } from './policy-defaults';
import { changesSomething } from './transition-filter';

const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
const T0 = 1_700_000_000_000;

const weight = (from: string, to: string, trigger: RecomputeTrigger): Transition => ({ machine: 'weight', from, to, cause: '', at: T0, values: {}, trigger });

describe('changesSomething', () => {
  it('drops a weight recompute that lands where it was for a reason that changes nothing else', () => {
    expect(changesSomething(weight('16', '16', { kind: 'periodic', everyS: 30 }))).toBe(false);
    expect(changesSomething(weight('16', '16', { kind: 'policy' }))).toBe(false);
    expect(changesSomething(weight('0', '0', { kind: 'threshold', input: 'p95', direction: 'held', value: 9000, threshold: 1200 }))).toBe(false);
  });

  it('keeps a move, a crossing either way and a change of mode even at the same weight', () => {
    expect(changesSomething(weight('16', '17', { kind: 'periodic', everyS: 30 }))).toBe(true);
    expect(changesSomething(weight('16', '16', { kind: 'threshold', input: 'cpu', direction: 'up', value: 90, threshold: 85 }))).toBe(true);
    expect(changesSomething(weight('16', '16', { kind: 'threshold', input: 'cpu', direction: 'down', value: 80, threshold: 85 }))).toBe(true);
    expect(changesSomething(weight('0', '0', { kind: 'admin', state: 'drain' }))).toBe(true);
    expect(changesSomething(weight('0', '0', { kind: 'up' }))).toBe(true);
    expect(changesSomething(weight('none', '0', { kind: 'initial' }))).toBe(true);
  });

  it('drops any machine that "moves" to the state it is in', () => {
    expect(changesSomething({ machine: 'breaker', from: 'closed', to: 'closed', cause: '', at: T0, values: {} })).toBe(false);
    expect(changesSomething({ machine: 'stage', stage: 'execution', from: 'active', to: 'blocked', cause: '', at: T0, values: {} })).toBe(true);
  });
});

describe('a steady fleet', () => {
  // Five instances whose telemetry never changes, one tick a second for 10 minutes: one idle, one
  // with P95 far above its threshold (weight 0, recomputed on every P95 sample), one with CPU
  // above, one drained, one unreachable. After the first ticks nothing changes, so nothing is recorded.
  const fleet: Array<{ over: Partial<InstanceTelemetry>; admin: AdminState }> = [
    { over: {}, admin: 'ready' },
    { over: { p95Ms: 9000 }, admin: 'ready' },
    { over: { cpuPct: 95 }, admin: 'ready' },
    { over: {}, admin: 'drain' },
    { over: { up: false }, admin: 'ready' },
  ];
  const telemetry = (id: string, over: Partial<InstanceTelemetry>): InstanceTelemetry => ({
    instanceId: id, up: true, cpuPct: 40, p95Ms: 800, connections: 600, rtMs: 100, requests: 100, errors: 0, timeouts: 0,
    activeRequests: 10, maxConcurrency: 128, stages: Array.from({ length: 5 }, () => ({ fill: 0.1, inputs: 50, outputs: 50, outputBlocked: false })),
    ingressWriteTimeouts: 0, ...over,
  });

  it('records no transition that changes nothing over 600 ticks', () => {
    const runtimes: InstanceRuntime[] = fleet.map(() => initialRuntime(T0));
    const recorded: Transition[] = [];
    let heldRecomputes = 0;
    for (let s = 0; s < 600; s++) {
      fleet.forEach((inst, k) => {
        const r = stepInstance(runtimes[k]!, { telemetry: telemetry(`i-${k}`, inst.over), adminState: inst.admin, now: T0 + s * 1000, policies });
        runtimes[k] = r.runtime;
        if (r.recomputed?.kind === 'threshold' && r.recomputed.direction === 'held') heldRecomputes++;
        if (s >= 60) recorded.push(...r.transitions);
      });
    }
    // The held inputs did recompute (every 3 s and 5 s): the filter, not a quiet model, keeps them out.
    expect(heldRecomputes).toBeGreaterThan(100);
    expect(recorded.filter((t) => t.from === t.to)).toEqual([]);
    expect(recorded).toEqual([]);
  });
});
