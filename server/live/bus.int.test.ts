import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveBus, liveBus } from './bus';
import { createTestDatabase } from '../../test/db';
import { liveStream, tickStream } from './stream';
import { LIVE_CHANNEL, TICK_CHANNEL, type LiveEventData } from './topics';
import { runCommand } from '../services/command';
import { openTestDb, type TestDb } from '../../test/context';

let t: TestDb;
let bus: LiveBus;
const logged: string[] = [];
beforeAll(async () => {
  t = await openTestDb();
  bus = new LiveBus(t.url, { log: (line) => logged.push(line) });
  await bus.ensureConnected();
});
afterAll(async () => {
  await bus.stop();
  await t.close();
});

const userChanged = (name: string) => runCommand(t.db, { id: null, name: 'test' }, (ctx) => ctx.emit('user.changed', { id: randomUUID(), name }));
const names = (events: LiveEventData[]) => events.map((e) => e.payload.name);

/** Takes `n` events from a stream, then aborts it. */
async function take<T>(stream: AsyncGenerator<T>, n: number, ac: AbortController) {
  const got: T[] = [];
  for await (const e of stream) {
    got.push(e);
    if (got.length === n) break;
  }
  ac.abort();
  return got;
}

/** Resolves once the bus has a listener more than `before` (the stream subscribed). */
const subscribed = (b: LiveBus, before: number) => expect.poll(() => b.subscriberCount, { timeout: 10_000 }).toBeGreaterThan(before);

async function newTick(): Promise<bigint> {
  const rows = await t.db.$queryRaw<Array<{ id: bigint }>>`
    INSERT INTO "Tick" ("startedAt", "finishedAt", "durationMs", instances, leader)
    VALUES (clock_timestamp(), clock_timestamp(), 0, 0, 'test') RETURNING id`;
  return rows[0]!.id;
}

describe('live bus', () => {
  it('delivers a committed event to a subscriber, after commit, with its payload', async () => {
    const ac = new AbortController();
    const before = bus.subscriberCount;
    const received = take(liveStream(bus, null, ac.signal), 1, ac);
    await subscribed(bus, before);
    const id = randomUUID();
    await runCommand(t.db, { id: null, name: 'test' }, (ctx) => ctx.emit('service.changed', { id, appliedVersion: 3 }));
    const [e] = await received;
    expect(e).toMatchObject({ topic: 'service.changed', payload: { id, appliedVersion: 3 } });
    expect(e!.id).toMatch(/^\d+$/);
  });

  it('delivers nothing for a rolled-back command', async () => {
    const seen: LiveEventData[] = [];
    const off = bus.subscribe((e) => seen.push(e));
    await runCommand(t.db, { id: null, name: 'test' }, async (ctx) => {
      await ctx.emit('user.changed', { id: randomUUID(), name: 'rolled-back' });
      throw new Error('abort');
    }).catch(() => undefined);
    await userChanged('committed');
    await expect.poll(() => names(seen), { timeout: 10_000 }).toContain('committed');
    off();
    expect(names(seen)).not.toContain('rolled-back');
  });

  it('a reconnecting client resumes after its last event id without gaps or repeats', async () => {
    await userChanged('n1');
    const last = (await t.db.liveEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
    await userChanged('n2');
    await userChanged('n3');
    const ac = new AbortController();
    const before = bus.subscriberCount;
    const received = take(liveStream(bus, last.toString(), ac.signal), 3, ac);
    await subscribed(bus, before);
    await userChanged('n4');
    expect(names(await received)).toEqual(['n2', 'n3', 'n4']);
  });

  it('fans one event out to every subscriber', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const offA = bus.subscribe((e) => a.push(e.id));
    const offB = bus.subscribe((e) => b.push(e.id));
    await userChanged('fan');
    await expect.poll(() => a.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => b, { timeout: 10_000 }).toEqual(a);
    offA();
    offB();
  });

  it('drops, with a log line, an event whose payload breaks its topic schema or whose topic is unknown', async () => {
    const seen: LiveEventData[] = [];
    const off = bus.subscribe((e) => seen.push(e));
    // Written around runCommand (which refuses such payloads), as a stray writer or an old row would.
    const stray = async (topic: string, payload: object) => {
      const row = await t.db.liveEvent.create({ data: { topic, payload } });
      await t.db.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${row.id.toString()})`;
      return row.id.toString();
    };
    const badPayload = await stray('user.changed', { id: 'not-a-uuid', name: 'bad' });
    const badTopic = await stray('user.exploded', { id: randomUUID(), name: 'bad' });
    await userChanged('good');
    await expect.poll(() => names(seen), { timeout: 10_000 }).toContain('good');
    off();
    expect(seen.map((e) => e.id)).not.toContain(badPayload);
    expect(seen.map((e) => e.id)).not.toContain(badTopic);
    expect(logged.find((l) => l.includes(`dropped event ${badPayload}`))).toMatch(/schema of user\.changed/);
    expect(logged.find((l) => l.includes(`dropped event ${badTopic}`))).toMatch(/unknown topic/);
    // A backlog read drops them too.
    const backlog = await bus.since(BigInt(badPayload) - 1n);
    expect(backlog.map((e) => e.id)).not.toContain(badPayload);
    expect(names(backlog)).toContain('good');
  });

  it('delivers committed ticks in order and drops a tick NOTIFY that is not a tick id', async () => {
    const ac = new AbortController();
    const before = bus.subscriberCount;
    const received = take(tickStream(bus, null, ac.signal), 2, ac);
    await subscribed(bus, before);
    const first = await newTick();
    await t.db.$executeRaw`SELECT pg_notify(${TICK_CHANNEL}, 'not-a-tick')`;
    await t.db.$executeRaw`SELECT pg_notify(${TICK_CHANNEL}, ${first.toString()})`;
    const second = await newTick();
    await t.db.$executeRaw`SELECT pg_notify(${TICK_CHANNEL}, ${second.toString()})`;
    expect(await received).toEqual([first, second]);
    expect(logged.some((l) => l.includes('not a tick id'))).toBe(true);
  });

  it('N subscribers connecting and disconnecting repeatedly share one LISTEN connection', async () => {
    const applicationName = `switchback-live-${randomUUID().slice(0, 8)}`;
    const shared = new LiveBus(t.url, { applicationName });
    await userChanged('backlog');
    const fromEvent = ((await t.db.liveEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })).id - 1n).toString();
    const fromTick = ((await newTick()) - 1n).toString();

    // Every backend the bus ever had, sampled while the clients come and go.
    const pids = new Set<number>();
    let maxAtOnce = 0;
    let running = true;
    const sampler = (async () => {
      while (running) {
        const rows = await t.db.$queryRaw<Array<{ pid: number }>>`SELECT pid FROM pg_stat_activity WHERE application_name = ${applicationName}`;
        for (const r of rows) pids.add(r.pid);
        maxAtOnce = Math.max(maxAtOnce, rows.length);
        await new Promise((r) => setImmediate(r));
      }
    })();

    // 10 rounds of 8 browsers reconnecting at once: each resumes its event and tick feeds (a
    // backlog read each), then leaves.
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          const ac = new AbortController();
          const events = liveStream(shared, fromEvent, ac.signal);
          const ticks = tickStream(shared, fromTick, ac.signal);
          expect((await events.next()).value).toMatchObject({ topic: 'user.changed' });
          expect((await ticks.next()).value).toBe(BigInt(fromTick) + 1n);
          ac.abort();
          await events.return(undefined);
          await ticks.return(undefined);
        }),
      );
    }
    running = false;
    await sampler;
    expect(shared.subscriberCount).toBe(0);
    expect(shared.connectionsOpened).toBe(1);
    expect(maxAtOnce).toBe(1);
    expect(pids.size).toBe(1);
    await shared.stop();
  });

  it("the process's bus is per database: asked for another database's, it gives that one's", async () => {
    const other = await createTestDatabase();
    try {
      const mine = liveBus(t.url);
      expect(liveBus(t.url)).toBe(mine);
      const theirs = liveBus(other.url);
      expect(theirs).not.toBe(mine);
      // The other database's bus hears that database's ticks, not this one's.
      const heard: bigint[] = [];
      const off = theirs.subscribeTicks((id) => heard.push(id));
      await theirs.ensureConnected();
      const client = new pg.Client(other.url);
      await client.connect();
      try {
        await client.query('SELECT pg_notify($1, $2)', [TICK_CHANNEL, '7']);
      } finally {
        await client.end();
      }
      await expect.poll(() => heard).toEqual([7n]);
      off();
      await theirs.stop();
      await mine.stop();
    } finally {
      await other.drop();
    }
  });
});
