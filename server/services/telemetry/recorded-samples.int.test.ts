import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { makeFleet } from '../../db/factories';
import { persistTick, type SampleRow } from '../../jobs/telemetry/persist';
import { loadRecorded } from './recorded-samples';
import { packTelemetry } from './telemetry-pack';

// The preview's binary column read must give back exactly what the loop stored: every input,
// nulls as null, rows from before the stage inputs were recorded without stages, and the first
// sample's machine states (the replay resumes from them).
let t: TestDb;
const t0 = Date.UTC(2026, 10, 23, 8, 0, 0);
let ids: string[] = [];
const row = (instanceId: string, k: number, i: number): SampleRow => ({
  instanceId, up: k !== 2, rtMs: k === 1 ? null : 12.5 + k + i / 3, cpu: 40.25 + k, memory: null, p50Ms: null, p95Ms: 800 + k * 0.1, p99Ms: null, connections: k === 3 ? null : 1000 + i, rps: 50, errorRate: 0.0125,
  inputAgeMs: { cpu: k === 0 ? null : 0, p95: 1000 * k, connections: 0, recompute: 2500 + k }, targetWeight: 60 + k, effectiveWeight: 55.5 + k + i, degradation: k === 0 ? 2 : 0, breaker: k === 0 ? 'half-open' : 'closed',
  stageFill: [0.1, 0.2, 0.3, 0.4, 0.97 - k / 100], stageState: k === 0 ? ['active', 'idle', 'idle', 'blocked', 'active'] : ['idle', 'idle', 'idle', 'idle', 'idle'],
  requests: 100 + k, activeRequests: 7, maxConcurrency: 128, ingressTimeouts: k === 0 ? null : 1,
  stageInputs: k === 0 && i === 1 ? [] : [1, 2, 3, 4, 5 + k], stageOutputs: k === 0 && i === 1 ? [] : [1, 2, 3, 4, 4], stageBlocked: k === 0 && i === 1 ? [] : [false, false, false, true, k === 3],
});

beforeAll(async () => {
  t = await openTestDb();
  await makeFleet(t.db, { regions: [{ name: 'r', zones: [{ name: 'z', clusters: ['c'] }] }], services: [{ name: 'api', placement: [{ cluster: 'c', versions: { v1: 2 } }] }] });
  ids = (await t.db.instance.findMany({ orderBy: { name: 'asc' } })).map((i) => i.id);
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    // Written newest first: the read must still return them oldest first.
    for (let k = 3; k >= 0; k--) {
      const at = new Date(t0 + k * 1000);
      await persistTick(client, { at, startedAt: at, instances: 2, skippedSoFar: 0, leader: 'test' }, ids.map((id, i) => row(id, k, i)), []);
    }
  } finally {
    await client.end();
  }
});
afterAll(() => t.close());

describe('loadRecorded', () => {
  it('reads back every stored input exactly, oldest first, with the first sample’s states', async () => {
    const got = await loadRecorded(t.db, ids, new Date(t0), new Date(t0 + 3000));
    expect([...got.keys()].sort()).toEqual([...ids].sort());
    ids.forEach((id, i) => {
      const samples = got.get(id)!;
      expect(samples.map((s) => s.at)).toEqual([t0, t0 + 1000, t0 + 2000, t0 + 3000]);
      samples.forEach((s, k) => {
        const r = row(id, k, i);
        expect({ ...s, at: undefined }).toEqual({
          at: undefined, up: r.up, rtMs: r.rtMs, cpu: r.cpu, p95Ms: r.p95Ms, connections: r.connections, errorRate: r.errorRate, requests: r.requests, activeRequests: r.activeRequests,
          maxConcurrency: r.maxConcurrency, ingressTimeouts: r.ingressTimeouts, stageFill: r.stageFill, stageInputs: r.stageInputs, stageOutputs: r.stageOutputs, stageBlocked: r.stageBlocked,
          effectiveWeight: r.effectiveWeight,
          // The recompute age matters only where the replay resumes: the first sample.
          inputAgeMs: { ...r.inputAgeMs, recompute: k === 0 ? 2500 : null },
          // Only the first sample carries the machine states; the replay recomputes the rest.
          ...(k === 0 ? { targetWeight: r.targetWeight, degradation: 2, breaker: 'half-open', stageState: r.stageState } : { targetWeight: 0, degradation: 0, breaker: 'closed', stageState: [] }),
        });
      });
    });
  });

  it('keeps to the window and the instances asked for', async () => {
    const got = await loadRecorded(t.db, [ids[0]!], new Date(t0 + 1000), new Date(t0 + 2000));
    expect([...got.keys()]).toEqual([ids[0]]);
    expect(got.get(ids[0]!)!.map((s) => [s.at, s.targetWeight])).toEqual([[t0 + 1000, 61], [t0 + 2000, 0]]);
    expect((await loadRecorded(t.db, [ids[0]!], new Date(t0 + 10_000), new Date(t0 + 20_000))).size).toBe(0);
  });

  it('reads the same from the minutes’ packs as from raw samples, and from a mix of both', async () => {
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      for (const k of [1, 2]) {
        const at = new Date(t0 + 60_000 + k * 1000);
        await persistTick(client, { at, startedAt: at, instances: 2, skippedSoFar: 0, leader: 'test' }, ids.map((id, i) => row(id, k, i)), []);
      }
    } finally {
      await client.end();
    }
    // From t0: the first samples carry nulls, a stage-less row and the machine states.
    const window = [new Date(t0), new Date(t0 + 61_000)] as const;
    const raw = await loadRecorded(t.db, ids, ...window);
    expect(raw.get(ids[0]!)!.map((s) => s.at)).toEqual([t0, t0 + 1000, t0 + 2000, t0 + 3000, t0 + 61_000]);
    expect(raw.get(ids[1]!)![0]!.stageInputs).toEqual([]);
    await packTelemetry(t.db, new Date(t0), new Date(t0 + 60_000));
    expect(await t.db.telemetryPack.count()).toBe(2);
    expect(await loadRecorded(t.db, ids, ...window)).toEqual(raw);
    await packTelemetry(t.db, new Date(t0 + 60_000), new Date(t0 + 120_000));
    expect(await t.db.telemetryPack.count()).toBe(4);
    expect(await loadRecorded(t.db, ids, ...window)).toEqual(raw);
  });
});
