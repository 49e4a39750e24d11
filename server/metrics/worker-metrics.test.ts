import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../platform/adapter';
import { fenced, FencedError } from '../platform/fenced';
import { promtoolCheck, sampleValue } from '../../test/exposition';
import { countJobOutcomes, kindLabel, measuredAdapter, observeTick } from './worker-metrics';
import { sharedRegistry } from './shared-registry.mjs';

const text = () => sharedRegistry().metrics();
const value = async (name: string, labels: Record<string, string> = {}) => sampleValue(await text(), name, labels) ?? 0;

function fakeAdapter(kind: string, fail: Set<string>): PlatformAdapter {
  const call = (name: string) => () => (fail.has(name) ? Promise.reject(new Error(`${name}: platform unreachable`)) : Promise.resolve([]));
  return { kind, readTelemetry: call('readTelemetry'), applyWeights: call('applyWeights'), close: () => Promise.resolve(), secret: () => 'not measured' } as unknown as PlatformAdapter;
}

describe('adapter calls', () => {
  it('times every platform operation by kind and outcome, and counts the failures', async () => {
    const a = measuredAdapter(fakeAdapter('unit-a', new Set(['applyWeights'])));
    const okBefore = await value('switchback_adapter_call_duration_seconds_count', { kind: 'unit-a', operation: 'readTelemetry', outcome: 'ok' });
    await a.readTelemetry(new Date());
    await a.readTelemetry(new Date());
    await expect(a.applyWeights([])).rejects.toThrow('platform unreachable');
    expect(await value('switchback_adapter_call_duration_seconds_count', { kind: 'unit-a', operation: 'readTelemetry', outcome: 'ok' })).toBe(okBefore + 2);
    expect(await value('switchback_adapter_call_duration_seconds_count', { kind: 'unit-a', operation: 'applyWeights', outcome: 'error' })).toBe(1);
    expect(await value('switchback_adapter_errors_total', { kind: 'unit-a', operation: 'applyWeights' })).toBe(1);
    // Not an operation of the interface: passed through, never a label.
    expect((a as unknown as { secret(): string }).secret()).toBe('not measured');
    await a.close();
    expect(await text()).not.toMatch(/operation="(secret|close)"/);
  });

  it('does not count a write refused by fencing as a platform error', async () => {
    const a = fenced(measuredAdapter(fakeAdapter('unit-b', new Set())), () => Promise.resolve(false));
    await expect(a.applyWeights([])).rejects.toBeInstanceOf(FencedError);
    expect(await value('switchback_adapter_call_duration_seconds_count', { kind: 'unit-b', operation: 'applyWeights', outcome: 'error' })).toBe(0);
    expect(await value('switchback_adapter_errors_total', { kind: 'unit-b', operation: 'applyWeights' })).toBe(0);
  });

  it('labels only well-formed adapter kinds', () => {
    expect(kindLabel('haproxy')).toBe('haproxy');
    expect(kindLabel('My Cluster "prod"')).toBe('other');
  });
});

describe('ticks and jobs', () => {
  it('observes committed ticks in seconds', async () => {
    const [count, sum, ticks] = await Promise.all([value('switchback_tick_duration_seconds_count'), value('switchback_tick_duration_seconds_sum'), value('switchback_ticks_total')]);
    observeTick(250);
    expect(await value('switchback_tick_duration_seconds_count')).toBe(count + 1);
    expect(await value('switchback_tick_duration_seconds_sum')).toBeCloseTo(sum + 0.25);
    expect(await value('switchback_ticks_total')).toBe(ticks + 1);
  });

  it('counts job outcomes by task: a last failed attempt as failed only', async () => {
    const events = new EventEmitter();
    countJobOutcomes(events);
    const job = (attempts: number) => ({ job: { task_identifier: 'unit_task', attempts, max_attempts: 3 } });
    events.emit('job:success', job(1));
    events.emit('job:error', job(1));
    events.emit('job:error', job(3));
    events.emit('job:failed', job(3));
    expect(await value('switchback_job_runs_total', { task: 'unit_task', outcome: 'success' })).toBe(1);
    expect(await value('switchback_job_runs_total', { task: 'unit_task', outcome: 'error' })).toBe(1);
    expect(await value('switchback_job_runs_total', { task: 'unit_task', outcome: 'failed' })).toBe(1);
    const check = promtoolCheck(await text());
    expect(check.parses, check.output).toBe(true);
    expect(check.lint.filter((l) => l.startsWith('switchback_'))).toEqual([]);
  });
});
