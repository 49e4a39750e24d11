// The loop advances each runtime (advanceInstance) and encodes the sample straight from it
// (encodeSample); persistTick encodes SampleRow objects (sampleTuples) of stepInstance's result.
// Both must put the same bytes on the wire: over seeded random telemetry (down ticks, rows without
// stages, missing inputs, error bursts) two runtimes stepped side by side, one each way, must give
// the same sample byte for byte, and the same transitions.
import { describe, expect, it } from 'vitest';
import { advanceInstance, initialRuntime, stepInstance } from '../../domain/instance-step';
import type { FleetPolicies } from '../../domain/model';
import { defaultPolicies } from '../../domain/policy-defaults';
import { randomTelemetry } from '../../domain/random-telemetry';
import { seededRandom } from '../../domain/seeded-random';
import { BinaryCopyWriter } from './copy-binary';
import { sampleTuples } from './persist';
import { encodeSample, sampleRow } from './tick-sample';

const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
const T0 = Date.UTC(2026, 0, 1);

describe('encodeSample', () => {
  it('writes the same tuples as sampleTuples over the SampleRow of each step', () => {
    const rnd = seededRandom(7);
    const ids = ['0b6f3f0e-5c1a-4d2b-9e3f-1a2b3c4d5e6f', '00000000-0000-0000-0000-000000000001', 'ffffffff-ffff-4fff-8fff-ffffffffffff'];
    let compared = 0;
    let withoutStages = 0;
    let down = 0;
    for (const id of ids) {
      const next = randomTelemetry(rnd, id, T0);
      const runtime = initialRuntime(T0);
      const advanced = initialRuntime(T0);
      for (let tick = 0; tick < 400; tick++) {
        const input = next();
        const res = stepInstance(runtime, { ...input, policies });
        const adv = advanceInstance(advanced, { ...input, policies });
        expect(adv.transitions).toEqual(res.transitions);
        const tickId = BigInt(1_000_000 + tick);
        const direct = new BinaryCopyWriter(16, false);
        encodeSample(direct, tickId, input.now, id, input.telemetry, advanced, adv.effectiveWeight);
        expect(direct.tuples()).toEqual(sampleTuples(tickId, input.now, [sampleRow(id, input.telemetry, res)]));
        compared++;
        if (!input.telemetry.stages) withoutStages++;
        if (!input.telemetry.up) down++;
      }
    }
    // The stream did reach the cases that differ most between the two paths.
    expect(compared).toBe(1200);
    expect(withoutStages).toBeGreaterThan(0);
    expect(down).toBeGreaterThan(0);
  });

  it('appends one tuple after another in the writer it is given', () => {
    const next = randomTelemetry(seededRandom(11), 'a', T0);
    const runtime = initialRuntime(T0);
    const advanced = initialRuntime(T0);
    const id = '0b6f3f0e-5c1a-4d2b-9e3f-1a2b3c4d5e6f';
    const w = new BinaryCopyWriter(16, false);
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const input = next();
      const res = stepInstance(runtime, { ...input, policies });
      encodeSample(w, 5n, input.now, id, input.telemetry, advanced, advanceInstance(advanced, { ...input, policies }).effectiveWeight);
      rows.push({ at: input.now, row: sampleRow(id, input.telemetry, res) });
    }
    expect(w.tuples()).toEqual(Buffer.concat(rows.map((r) => sampleTuples(5n, r.at, [r.row]))));
  });
});
