import { describe, expect, it } from 'vitest';
import { canaryZones, evaluateGuards, guardInstanceFromSample, holdsInWords, type GuardInstance } from './guards';

const calm = (name: string, zone: string, over: Partial<GuardInstance> = {}): GuardInstance => ({ name, zone, level: 0, breakers: [{ state: 'closed' }], stageFill: [0.1, 0.2, 0.3, 0.1, 0.1], ...over });

describe('evaluateGuards', () => {
  it('holds nothing while the canary zones are calm', () => {
    expect(evaluateGuards(['eu-west-a', 'eu-west-b'], [calm('a-1', 'eu-west-a'), calm('b-1', 'eu-west-b', { level: 1, stageFill: [0.84, 0.849, 0, 0, 0], breakers: [{ state: 'half-open' }] })])).toEqual([]);
  });

  it('names the zone, the instance, the live value and the guard for L2+, an open breaker and a full buffer', () => {
    const holds = evaluateGuards(
      ['eu-west-b'],
      [
        calm('order-api-b-3', 'eu-west-b', { level: 2 }),
        calm('order-api-b-1', 'eu-west-b', { stageFill: [0.1, 0.2, 0.913, 0.1, 0.1] }),
        calm('order-api-b-2', 'eu-west-b', { breakers: [{ state: 'open' }, { stage: 'access', state: 'open' }] }),
      ],
    );
    expect(holds.map((h) => h.words)).toEqual([
      'eu-west-b: order-api-b-1 routing buffer 91 % (guard: ≥ 85 %)',
      'eu-west-b: order-api-b-2 breaker open (guard: an open breaker)',
      'eu-west-b: order-api-b-2 access breaker open (guard: an open breaker)',
      'eu-west-b: order-api-b-3 at L2 (guard: L2 or above)',
    ]);
    expect(holds[0]).toEqual({ guard: 'buffer', zone: 'eu-west-b', instance: 'order-api-b-1', stage: 'routing', value: 91, threshold: 85, words: holds[0]!.words });
    expect(holds[3]).toMatchObject({ guard: 'degradation', value: 2, threshold: 2 });
    expect(holds[2]).toMatchObject({ guard: 'breaker', stage: 'access' });
    expect(holds[1]).not.toHaveProperty('stage');
  });

  it('ignores zones the canary does not run in', () => {
    expect(evaluateGuards(['eu-west-a'], [calm('b-3', 'eu-west-b', { level: 3, stageFill: [1, 1, 1, 1, 1], breakers: [{ state: 'open' }] })])).toEqual([]);
  });

  it('holds at the threshold itself, and follows other thresholds', () => {
    expect(evaluateGuards(['z'], [calm('i', 'z', { stageFill: [0.85] })]).map((h) => h.value)).toEqual([85]);
    expect(evaluateGuards(['z'], [calm('i', 'z', { stageFill: [0.29] })], { level: 3, bufferPct: 29 }).map((h) => h.words)).toEqual(['z: i access buffer 29 % (guard: ≥ 29 %)']);
    expect(evaluateGuards(['z'], [calm('i', 'z', { level: 2 })], { level: 3, bufferPct: 85 })).toEqual([]);
  });
});

describe('canaryZones', () => {
  it('lists the zones running the canary version, once each', () => {
    expect(canaryZones([{ zone: 'b', appVersion: 'v2' }, { zone: 'a', appVersion: 'v1' }, { zone: 'b', appVersion: 'v2' }, { zone: 'c', appVersion: 'v2' }], 'v2')).toEqual(['b', 'c']);
  });
});

describe('from a telemetry sample, and in words', () => {
  it('reads degradation, the instance breaker and the stage fills of the newest sample', () => {
    const i = guardInstanceFromSample({ name: 'order-api-b-2', zone: 'eu-west-b', degradation: 1, breaker: 'open', stageFill: [0, 0, 0, 0, 0.97] });
    expect(evaluateGuards(['eu-west-b'], [i]).map((h) => h.words)).toEqual(['eu-west-b: order-api-b-2 breaker open (guard: an open breaker)', 'eu-west-b: order-api-b-2 execution buffer 97 % (guard: ≥ 85 %)']);
    expect(guardInstanceFromSample({ name: 'x', zone: 'z', degradation: 0, breaker: 'weird', stageFill: [] }).breakers).toEqual([{ state: 'closed' }]);
  });
  it('says the first hold and how many more', () => {
    const holds = evaluateGuards(['z'], [calm('a', 'z', { level: 3, stageFill: [0.9] })]);
    expect(holdsInWords(holds)).toBe('Held by a guard: z: a at L3 (guard: L2 or above) (and 1 more)');
    expect(holdsInWords(holds.slice(0, 1))).toBe('Held by a guard: z: a at L3 (guard: L2 or above)');
    expect(holdsInWords([])).toBe('');
  });
});
