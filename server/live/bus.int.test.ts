import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveBus } from './bus';
import { liveStream } from './stream';
import type { LiveEventData } from './topics';
import { runCommand } from '../services/command';
import { openTestDb, type TestDb } from '../../test/context';

let t: TestDb;
let bus: LiveBus;
beforeAll(async () => {
  t = await openTestDb();
  bus = new LiveBus(t.url);
  await bus.ensureConnected();
});
afterAll(async () => {
  await bus.stop();
  await t.close();
});

const emit = (topic: 'user.changed' | 'service.changed', payload: Record<string, unknown>) =>
  runCommand(t.db, { id: null, name: 'test' }, (ctx) => ctx.emit(topic, payload));

/** Takes `n` events from a stream, then aborts it. */
async function take(stream: AsyncGenerator<LiveEventData>, n: number, ac: AbortController) {
  const got: LiveEventData[] = [];
  for await (const e of stream) {
    got.push(e);
    if (got.length === n) break;
  }
  ac.abort();
  return got;
}

describe('live bus', () => {
  it('delivers a committed event to a subscriber, after commit, with its payload', async () => {
    const ac = new AbortController();
    const received = take(liveStream(bus, null, ac.signal), 1, ac);
    await new Promise((r) => setTimeout(r, 50));
    await emit('service.changed', { id: 'svc-1', name: 'renamed' });
    const [e] = await received;
    expect(e).toMatchObject({ topic: 'service.changed', payload: { id: 'svc-1', name: 'renamed' } });
    expect(e!.id).toMatch(/^\d+$/);
  });

  it('delivers nothing for a rolled-back command', async () => {
    const seen: LiveEventData[] = [];
    const off = bus.subscribe((e) => seen.push(e));
    await runCommand(t.db, { id: null, name: 'test' }, async (ctx) => {
      await ctx.emit('user.changed', { marker: 'rolled-back' });
      throw new Error('abort');
    }).catch(() => undefined);
    await emit('user.changed', { marker: 'committed' });
    await expect.poll(() => seen.map((e) => e.payload.marker), { timeout: 10_000 }).toContain('committed');
    off();
    expect(seen.map((e) => e.payload.marker)).not.toContain('rolled-back');
  });

  it('a reconnecting client resumes after its last event id without gaps or repeats', async () => {
    await emit('user.changed', { n: 1 });
    const last = (await t.db.liveEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
    await emit('user.changed', { n: 2 });
    await emit('user.changed', { n: 3 });
    const ac = new AbortController();
    const received = take(liveStream(bus, last.toString(), ac.signal), 3, ac);
    await new Promise((r) => setTimeout(r, 50));
    await emit('user.changed', { n: 4 });
    const got = await received;
    expect(got.map((e) => e.payload.n)).toEqual([2, 3, 4]);
  });

  it('fans one event out to every subscriber', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const offA = bus.subscribe((e) => a.push(e.id));
    const offB = bus.subscribe((e) => b.push(e.id));
    await emit('user.changed', { fan: true });
    await expect.poll(() => a.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => b, { timeout: 10_000 }).toEqual(a);
    offA();
    offB();
  });
});
