import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTrackedEnvelope } from '@trpc/server';
import { openTestDb, signedInContextFor, type TestDb } from '../../../test/context';
import type { Context } from '../../api/trpc';
import { httpApi } from '../../../test/http';
import { reloadEnv } from '../../env';
import { createCaller } from '../../api/root';
import { makeFleet, makeUser } from '../../db/factories';
import { makeTick } from '../../db/telemetry-factories';
import { LiveBus, liveBus } from '../../live/bus';
import { computeWeight, explanationValues } from '../../domain/weights';
import { defaultWeightPolicy } from '../../domain/policy-defaults';
import { instanceLive, resumeAfter, serviceLive, tickMemo, type InstanceTickPayload } from './telemetry-live';

let t: TestDb;
let a: string;
let b: string;
let serviceId: string;
const controllers: AbortController[] = [];
let viewer: { id: string; name: string; role: 'viewer' };
let viewerCtx: Context;

beforeAll(async () => {
  t = await openTestDb();
  // The router reaches the tick bus through the environment, as the web server does.
  process.env.DATABASE_URL = t.url;
  reloadEnv();
  const { services } = await makeFleet(t.db, {
    regions: [{ name: 'r-live', zones: [{ name: 'z-live', clusters: ['c-live'] }] }],
    services: [{ name: 'svc-live', placement: [{ cluster: 'c-live', versions: { v1: 2 } }] }],
  });
  serviceId = services[0]!.id;
  [a, b] = (await t.db.instance.findMany({ orderBy: { name: 'asc' } })).map((i) => i.id) as [string, string];
  const { user } = await makeUser(t.db, { role: 'viewer' });
  viewer = { id: user.id, name: user.name, role: 'viewer' };
  viewerCtx = await signedInContextFor(t.db, viewer);
});
afterAll(async () => {
  for (const c of controllers) c.abort();
  await liveBus(t.url).stop();
  await t.close();
});

/**
 * Resolves once the process's bus has one more subscriber than `before` and its LISTEN connection
 * is up: from then on a NOTIFY reaches the subscription (a condition, not a guessed delay).
 */
async function listening(before: number) {
  const bus = liveBus(t.url);
  await expect.poll(() => bus.subscriberCount, { timeout: 15_000, interval: 10 }).toBeGreaterThan(before);
  await bus.ensureConnected();
}

/** A tick at `secondsAgo` before now, for both instances; instance a optionally recomputed. */
async function tick(secondsAgo: number, opts: { rpsA?: number; recompute?: boolean } = {}) {
  // Millisecond times: ticks of different tests never share a slot (Tick.startedAt is unique).
  const at = new Date(Date.now() - secondsAgo * 1000);
  const { target, terms } = computeWeight(defaultWeightPolicy, { cpuPct: 90, p95Ms: 300, connections: 100 });
  const values = explanationValues({ model: 'linear-decay', base: 100, terms, target, trigger: { kind: 'initial' }, computedAt: 0 });
  return makeTick(t.db, {
    at,
    samples: [
      { instanceId: a, rps: opts.rpsA ?? 10, cpu: 90, targetWeight: target },
      { instanceId: b, rps: 20 },
    ],
    transitions: opts.recompute ? [{ instanceId: a, machine: 'weight', from: '80', to: String(target), cause: 'CPU 90 % crossed 85 %', values }] : [],
  });
}

const notify = (id: bigint) => t.db.$executeRaw`SELECT pg_notify('switchback_tick', ${id.toString()})`;

/** Reads `n` items of an async iterable, then aborts it. */
async function take<T>(it: AsyncIterable<T>, n: number, ac: AbortController): Promise<T[]> {
  const got: T[] = [];
  for await (const x of it) {
    got.push(x);
    if (got.length === n) break;
  }
  ac.abort();
  return got;
}

function subscribeInstance(input: { instanceId: string; lastEventId?: string }) {
  const ac = new AbortController();
  controllers.push(ac);
  return { ac, it: createCaller(viewerCtx, { signal: ac.signal }).telemetry.instanceLive(input) };
}

describe('instance and service live feeds', () => {
  it('the tick feed says each committed tick in order, with no backlog of older ones', async () => {
    await tick(30, { rpsA: 1 }); // before subscribing: not replayed
    const ac = new AbortController();
    controllers.push(ac);
    const before = liveBus(t.url).subscriberCount;
    const feed = await createCaller(viewerCtx, { signal: ac.signal }).telemetry.ticks();
    const received = take(feed, 2, ac);
    await listening(before);
    const one = await tick(0, { rpsA: 2 });
    await notify(one);
    const two = await tick(0, { rpsA: 3 });
    await notify(two);
    expect(await received).toEqual([{ tickId: one.toString() }, { tickId: two.toString() }]);
  });

  it('yields the tick payload of the instance after NOTIFY, as a tracked event with the tick id', async () => {
    const before = liveBus(t.url).subscriberCount;
    const { ac, it } = subscribeInstance({ instanceId: a });
    const received = take(await it, 1, ac);
    await listening(before);
    const id = await tick(2, { recompute: true });
    await notify(id);
    const [event] = await received;
    expect(isTrackedEnvelope(event)).toBe(true);
    const [eventId, payload] = event as unknown as [string, InstanceTickPayload];
    expect(eventId).toBe(id.toString());
    expect(payload.tickId).toBe(id.toString());
    expect(payload.sample).toMatchObject({ rps: 10, cpu: 90, tickId: id.toString() });
    expect(payload.transitions).toHaveLength(1);
    expect(payload.transitions[0]).toMatchObject({ machine: 'weight', cause: 'CPU 90 % crossed 85 %', instanceId: a });
    expect(payload.explanation!.sentence).toMatch(/^Target \d+ = 100 .*\u2212 27 from CPU 90 %.*; recomputed because CPU 90 % crossed 85 %$/);
  });

  it('resumes after lastEventId: the missed ticks in order, then live ones, without gaps or repeats', async () => {
    const seen = await tick(1.5 * 60, { rpsA: 1 });
    const missed1 = await tick(60, { rpsA: 2 });
    const missed2 = await tick(30, { rpsA: 3 });
    const before = liveBus(t.url).subscriberCount;
    const { ac, it } = subscribeInstance({ instanceId: a, lastEventId: seen.toString() });
    const received = take(await it, 3, ac);
    await listening(before);
    const live = await tick(0, { rpsA: 4 });
    await notify(live);
    const got = (await received) as unknown as Array<[string, InstanceTickPayload]>;
    expect(got.map(([id]) => id)).toEqual([missed1, missed2, live].map(String));
    expect(got.map(([, p]) => p.sample!.rps)).toEqual([2, 3, 4]);
  });

  it('replays no further back than the window', async () => {
    const old = await tick(20 * 60);
    const outside = await tick(10 * 60);
    const recent = await tick(10);
    // A client last seen 20 minutes ago gets the last 5 minutes: the backlog starts after the newest tick outside them.
    expect(await resumeAfter(t.db, old.toString(), 300)).toBe(outside.toString());
    // A client last seen inside the window resumes right after what it saw.
    expect(await resumeAfter(t.db, recent.toString(), 300)).toBe(recent.toString());
    expect(await resumeAfter(t.db, null, 300)).toBeNull();
  });

  it('reads a tick once per process however many subscribers watch the same service', async () => {
    const bus = new LiveBus(t.url);
    const memo = tickMemo(t.db);
    const subs = Array.from({ length: 5 }, () => {
      const ac = new AbortController();
      controllers.push(ac);
      return take(serviceLive(t.db, bus, { serviceId }, ac.signal), 1, ac);
    });
    // Every subscriber listens (and the bus's LISTEN is up) before the tick is announced.
    await expect.poll(() => bus.subscriberCount, { timeout: 10_000 }).toBe(5);
    await bus.ensureConnected();
    const before = memo.reads;
    const id = await tick(0, { rpsA: 7 });
    await notify(id);
    const payloads = await Promise.all(subs);
    for (const [p] of payloads) {
      expect(p!.tickId).toBe(id.toString());
      expect(p!.samples.map((s) => [s.instanceId, s.rps])).toEqual([
        [a, 7],
        [b, 20],
      ]);
    }
    expect(memo.reads - before).toBe(1);
    await bus.stop();
  });

  it('refuses an unknown instance', async () => {
    const ac = new AbortController();
    const stream = instanceLive(t.db, new LiveBus(t.url), { instanceId: '00000000-0000-4000-8000-000000000000' }, ac.signal);
    await expect(stream.next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('through the HTTP API too: an unknown instance ends the event stream with NOT_FOUND in words, not a 500 with an error id', async () => {
    const api = httpApi(t);
    const cookie = await api.signIn('viewer');
    // The stream fails at once, so the SSE answer ends and its text can be read whole.
    const r = await api.query('telemetry.instanceLive', { instanceId: '00000000-0000-4000-8000-000000000000' }, { cookie });
    expect(r.text).toContain('NOT_FOUND');
    expect(r.text).toContain('does not exist');
    expect(r.text).not.toContain('error id');
  });
});
