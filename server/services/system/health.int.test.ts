import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { getHealth, HEARTBEAT_INTERVAL_MS, HEARTBEAT_STALE_MS } from './health';

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

describe('health: the worker', () => {
  it('a heartbeat three intervals old means the worker is down and the status degraded; a fresh one means up', async () => {
    expect(HEARTBEAT_STALE_MS).toBe(3 * HEARTBEAT_INTERVAL_MS);
    expect(HEARTBEAT_STALE_MS).toBeLessThanOrEqual(10_000); // "an outage of a few seconds" shows
    const beatAt = new Date();
    await t.db.workerHeartbeat.create({ data: { id: 'w-stale', hostname: 'h', pid: 1, beatAt } });
    try {
      const fresh = await getHealth(t.db, new Date(beatAt.getTime() + HEARTBEAT_INTERVAL_MS));
      expect(fresh.worker).toMatchObject({ ok: true, alive: 1 });
      const stale = await getHealth(t.db, new Date(beatAt.getTime() + HEARTBEAT_STALE_MS + 1000));
      expect(stale.worker).toMatchObject({ ok: false, alive: 0, error: `no heartbeat since ${beatAt.toISOString()}: the worker is down` });
      expect(stale.status).toBe('degraded');
    } finally {
      await t.db.workerHeartbeat.deleteMany({ where: { id: 'w-stale' } });
    }
  });

  it('a worker process that is killed (no clean stop, its heartbeat row left behind) shows as down within a few seconds', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/jobs/main.ts'], {
      env: { ...process.env, DATABASE_URL: t.url, SWITCHBACK_TELEMETRY_LOOP: 'false', SWITCHBACK_WORKER_CONCURRENCY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      await expect.poll(async () => (await getHealth(t.db)).worker.ok, { timeout: 30_000, interval: 200 }).toBe(true);
      // The heartbeat can land before the start-up line is printed: kill only a worker that said it started.
      await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toContain('started');
      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      expect(await t.db.workerHeartbeat.count({ where: { pid: child.pid! } })).toBe(1);
      await expect.poll(async () => (await getHealth(t.db)).worker.ok, { timeout: 20_000, interval: 200 }).toBe(false);
      // Down three missed beats after the dead worker's last beat (not 20 s), judged on the
      // recorded beat rather than on how quickly this busy machine got round to asking.
      const lastBeat = (await t.db.workerHeartbeat.findFirstOrThrow({ where: { pid: child.pid! } })).beatAt.getTime();
      expect(lastBeat).toBeLessThanOrEqual(killedAt);
      expect((await getHealth(t.db, new Date(lastBeat + HEARTBEAT_STALE_MS - 500))).worker.ok).toBe(true);
      expect((await getHealth(t.db, new Date(lastBeat + HEARTBEAT_STALE_MS + 500))).worker.ok).toBe(false);
      expect((await getHealth(t.db)).status).toBe('degraded');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
    expect(out).toContain('started');
  });
});
