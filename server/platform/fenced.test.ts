import { describe, expect, it } from 'vitest';
import { fenced, FencedError, PLATFORM_WRITES } from './fenced';
import { demoSim } from './sim/test-fleet';
import { recorded } from './testing/recorded';

describe('fenced platform writes', () => {
  it('sends a write only while the writer still leads; reads and other methods pass untouched', async () => {
    const { sim, at } = await demoSim();
    const writes: string[] = [];
    let leads = true;
    let checks = 0;
    const a = fenced(recorded(sim, writes), () => Promise.resolve((checks++, leads)));
    const id = (await a.readTelemetry(at(0)))[0]!.instanceId;
    expect(checks).toBe(0);
    await a.applyWeights([{ instanceId: id, weight: 10 }]);
    expect([checks, writes]).toEqual([1, ['applyWeights']]);
    leads = false;
    await expect(a.applyWeights([{ instanceId: id, weight: 90 }])).rejects.toBeInstanceOf(FencedError);
    await expect(a.setInstanceState(id, 'drain')).rejects.toThrow(/setInstanceState refused: this worker no longer holds/);
    expect(writes).toEqual(['applyWeights']);
    // A deposed leader still reads, and the simulator's own controls still reach it.
    expect((await a.readTelemetry(at(1))).length).toBeGreaterThan(0);
    expect(a.kind).toBe('sim');
    a.setControls({ demand: [], stress: [] });
  });

  it('a leadership check that fails refuses the write too, for every write method', async () => {
    const { sim } = await demoSim();
    const writes: string[] = [];
    const a = fenced(recorded(sim, writes), () => Promise.reject(new Error('Query read timeout')));
    for (const w of PLATFORM_WRITES) {
      const call = (a[w] as (...args: unknown[]) => Promise<unknown>)();
      await expect(call).rejects.toThrow(`${w} refused: leadership could not be confirmed (Query read timeout)`);
    }
    expect(writes).toEqual([]);
  });
});
