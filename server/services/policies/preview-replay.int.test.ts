// The preview's folded replay (preview-replay.ts) against the serial form it replaced
// (test/whatif-serial-replay.ts), in the same run on the same recorded data: every figure the
// preview returns must be the same to the last bit. The data is what the live step records for
// 150 instances over ~2.5 minutes of random load — machines that move, down ticks, inputs missing,
// rows without stage inputs, instances drained or in maintenance, one with a single sample, a
// service with its own watermark policy — some minutes packed by the rollup, the newest raw.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { serialReplayWindow } from '../../../test/whatif-serial-replay';
import { makeDefaultPolicies, makeFleet } from '../../db/factories';
import { initialRuntime, stepInstance, type InstanceRuntime } from '../../domain/instance-step';
import { STAGES, type FleetPolicies } from '../../domain/model';
import { defaultPolicies } from '../../domain/policy-defaults';
import { seededRandom } from '../../domain/seeded-random';
import { persistTick, type SampleRow, type TransitionRow } from '../../jobs/telemetry/persist';
import { packTelemetry } from '../telemetry/telemetry-pack';
import { previewPolicy } from './policy-preview';
import { replayWindow, replayWindowOneThread, replayWindowTwoThreads, type WindowReplay } from './preview-replay';
import { replayThread } from './replay-thread-pool';

let t: TestDb;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const TICKS = 150;
const now = new Date(T0 + TICKS * 1000);
const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
let overriddenService = '';

beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
  const clusters = ['c0', 'c1', 'c2'];
  await makeFleet(t.db, {
    regions: [{ name: 'r', zones: [{ name: 'z', clusters }] }],
    services: ['api', 'db', 'cache'].map((name) => ({ name, placement: clusters.map((cluster) => ({ cluster, versions: { v1: 16, v2: 1 } })) })),
  });
  const instances = await t.db.instance.findMany({ orderBy: { name: 'asc' } });
  expect(instances.length).toBe(153);
  await t.db.instance.updateMany({ where: { id: { in: instances.filter((_, i) => i % 17 === 3).map((i) => i.id) } }, data: { adminState: 'drain' } });
  await t.db.instance.updateMany({ where: { id: { in: instances.filter((_, i) => i % 19 === 5).map((i) => i.id) } }, data: { adminState: 'maint' } });
  const db = await t.db.service.findUniqueOrThrow({ where: { name: 'db' } });
  overriddenService = db.id;
  await t.db.policy.create({ data: { kind: 'watermark', scope: `service:${db.id}`, serviceId: db.id, version: 1, document: { ...defaultPolicies.watermark, breakPct: 90 } } });

  const rnd = seededRandom(14);
  const runtimes = new Map<string, InstanceRuntime>(instances.map((i) => [i.id, initialRuntime(T0)]));
  const fills = new Map(instances.map((i) => [i.id, STAGES.map(() => rnd.next())]));
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    for (let k = 1; k <= TICKS; k++) {
      const at = T0 + k * 1000;
      const rows: SampleRow[] = [];
      const transitions: TransitionRow[] = [];
      instances.forEach((inst, i) => {
        // One instance records a single sample; another records nothing at all.
        if ((i === 7 && k !== TICKS) || i === 8) return;
        const f = fills.get(inst.id)!;
        for (let s = 0; s < f.length; s++) f[s] = rnd.chance(0.03) ? rnd.next() : Math.min(1, Math.max(0, f[s]! + rnd.range(-0.08, 0.08)));
        const requests = rnd.int(0, 300);
        const errors = rnd.int(0, Math.round(requests * (i % 5 === 0 ? 0.9 : 0.05)));
        const telemetry = {
          instanceId: inst.id, up: !rnd.chance(0.02), cpuPct: rnd.chance(0.1) ? undefined : rnd.range(20, 100), p95Ms: rnd.range(50, 2000), connections: rnd.range(100, 5000),
          rtMs: rnd.range(20, 3000), requests, errors, activeRequests: rnd.int(0, 700), maxConcurrency: 682, ingressWriteTimeouts: rnd.chance(0.05) ? rnd.int(1, 5) : 0,
          stages: STAGES.map((_, s) => ({ fill: f[s]!, inputs: rnd.int(0, 50), outputs: rnd.int(0, 50), outputBlocked: f[s]! > 0.97 })),
        };
        const res = stepInstance(runtimes.get(inst.id)!, { telemetry, adminState: inst.adminState === 'maint' ? 'maintenance' : inst.adminState, now: at, policies });
        transitions.push(...res.transitions.map((x) => ({ ...x, instanceId: inst.id })));
        // Rows from before the stage inputs were recorded: the replay skips the stages there.
        const old = i % 23 === 1 && k < 40;
        rows.push({
          instanceId: inst.id, up: telemetry.up, rtMs: telemetry.rtMs, cpu: res.inputs.cpuPct, memory: null, p50Ms: null, p95Ms: res.inputs.p95Ms, p99Ms: null, connections: res.inputs.connections,
          rps: requests, errorRate: requests ? errors / requests : 0, inputAgeMs: res.inputAgeMs, targetWeight: res.targetWeight, effectiveWeight: res.effectiveWeight, degradation: res.degradation,
          breaker: res.breaker, stageFill: res.stageFill, stageState: res.stageStates, requests: i % 11 === 2 ? null : requests, activeRequests: telemetry.activeRequests, maxConcurrency: 682,
          ingressTimeouts: telemetry.ingressWriteTimeouts, stageInputs: old ? [] : telemetry.stages.map((s) => s.inputs), stageOutputs: old ? [] : telemetry.stages.map((s) => s.outputs),
          stageBlocked: old ? [] : telemetry.stages.map((s) => s.outputBlocked),
        });
      });
      await persistTick(client, { at: new Date(at), startedAt: new Date(at), instances: rows.length, skippedSoFar: 0, leader: 'test' }, rows, transitions);
    }
  } finally {
    await client.end();
  }
  // The rollup has packed the first complete minute; the rest is packed on the fly.
  await packTelemetry(t.db, new Date(T0), new Date(T0 + 60_000));
}, 120_000);
afterAll(() => t.close());

// The forms apart read 8 instances per COPY, so the 153 instances fill and reuse every arena
// while two reads run at once (the console reads 32 at a time).
const small = (replay: WindowReplay): WindowReplay => (db, scope) => replay(db, { ...scope, chunk: 8 });
const REPLAYS = { serial: serialReplayWindow, oneThread: small(replayWindowOneThread), twoThreads: small(replayWindowTwoThreads), console: undefined };

/** A preview without its timings, which differ from run to run, and the threads it replayed in. */
async function run(input: Parameters<typeof previewPolicy>[1], replay: keyof typeof REPLAYS) {
  const { computeMs, phasesMs, threads, ...rest } = await previewPolicy(t.db, input, { now, replay: REPLAYS[replay] });
  expect(computeMs).toBeGreaterThanOrEqual(0);
  expect(phasesMs.replay).toBeGreaterThanOrEqual(0);
  return { threads, rest };
}
const figures = async (input: Parameters<typeof previewPolicy>[1], serial: boolean) => (await run(input, serial ? 'serial' : 'console')).rest;

describe('the what-if preview replay', () => {
  const drafts = [
    { name: 'a stricter global watermark', instances: 100, input: { kind: 'watermark' as const, scope: 'global', document: { ...defaultPolicies.watermark, breakPct: 80, degradePct: 70, breakHoldS: 2 }, minutes: 5 } },
    { name: 'a weight policy with other thresholds', instances: 151, input: { kind: 'weight' as const, scope: 'global', document: { ...defaultPolicies.weight, thresholds: { cpuPct: 50, p95Ms: 500, connections: 2000 }, base: 60 }, minutes: 5 } },
    { name: 'a breaker that opens sooner', instances: 151, input: { kind: 'breaker' as const, scope: 'global', document: { ...defaultPolicies.breaker, staticErrorRatio: 0.1, factor: 1.1 }, minutes: 2 } },
  ];
  for (const d of drafts) {
    it(`gives the serial replay's figures to the last bit, in two threads and in one: ${d.name}`, async () => {
      const two = await run(d.input, 'twoThreads');
      const one = await run(d.input, 'oneThread');
      const inConsole = await run(d.input, 'console');
      // The two-thread form counts the stages, watermarks and breaker on the replay thread; the
      // one-thread form steps every machine itself, as the console does for so few instances.
      expect([two.threads, one.threads, inConsole.threads]).toEqual([2, 1, 1]);
      const lean = two.rest;
      const serial = await figures(d.input, true);
      expect(lean).toEqual(serial);
      expect(one.rest).toEqual(serial);
      expect(inConsole.rest).toEqual(serial);
      // Not an empty comparison: every instance with two samples or more (the service with its own
      // watermark policy aside) replayed, machines moved, and the draft changed something.
      expect(lean.instances).toBe(d.instances);
      expect(lean.baseline.stageBreaks + lean.baseline.weightRecomputes).toBeGreaterThan(0);
      expect(lean.changed.length).toBeGreaterThan(0);
      expect(lean.series.length).toBeGreaterThan(10);
    });
  }

  it("a service's own watermark: only that service's instances, through its override", async () => {
    const input = { kind: 'watermark' as const, scope: `service:${overriddenService}`, document: { ...defaultPolicies.watermark, breakPct: 75, degradePct: 70 }, minutes: 5 };
    const { threads, rest: lean } = await run(input, 'twoThreads');
    expect(threads).toBe(2);
    expect(lean).toEqual(await figures(input, true));
    expect(lean.instances).toBe(51);
    expect(lean.draft).not.toEqual(lean.baseline);
  });

  it('a failed read of the next chunk, while the current one replays, fails the preview (not the process)', async () => {
    const instances = (await t.db.instance.findMany({ orderBy: { id: 'asc' } })).slice(10, 30).map((i) => ({ ...i, adminState: 'ready' }));
    // The second chunk cannot be read; the first replays meanwhile, yielding to the event loop.
    // The id is a uuid PostgreSQL reads (so the first states of every instance, read in one
    // query before the first chunk, are) but not in the form the chunk's COPY takes.
    const scope = { instances: [...instances, { ...instances[0]!, id: instances[0]!.id.replaceAll('-', '') }], from: new Date(now.getTime() - 5 * 60_000), to: now, policiesOf: () => ({ current: policies, proposed: policies }), chunk: 20 };
    await expect(replayWindow(t.db, scope)).rejects.toThrow('not an instance id');
  });

  it('a replay thread that ends mid-preview fails that preview, and the next one starts a new thread', async () => {
    const instances = (await t.db.instance.findMany({ orderBy: { id: 'asc' } })).map((i) => ({ ...i, adminState: 'ready' }));
    const thread = await replayThread();
    expect(thread).not.toBeNull();
    // 8 per chunk: 20 chunks over 6 arenas, so the arenas of chunks whose answers failed are
    // released and read into again (a failed answer that held its arena would hang the preview).
    const scope = { instances, from: new Date(now.getTime() - 5 * 60_000), to: now, policiesOf: () => ({ current: policies, proposed: policies }), chunk: 8 };
    let stopped = false;
    const failing = replayWindowTwoThreads(t.db, {
      ...scope,
      // After the first chunk: the thread has chunks of this preview still to count.
      onProgress: () => {
        if (stopped) return;
        stopped = true;
        thread!.stop();
      },
    });
    await expect(failing).rejects.toThrow(/replay thread/);
    const again = await replayWindowTwoThreads(t.db, scope);
    expect(again.threads).toBe(2);
    expect(await replayThread()).not.toBe(thread);
    const { phasesMs: _a, threads: _b, ...figs } = again;
    const { phasesMs: _c, threads: _d, ...reference } = await replayWindowOneThread(t.db, scope);
    expect(figs).toEqual(reference);
  });
});
