// Chaos figures of the fault convergence (issue 12): how long after SIGKILL of every worker a
// fault stops acting in HAProxy (the dead man's switch: the last expiry the leader pushed), and
// how faithfully HAProxy's Lua delay reproduces the configured delay and jitter.
import http from 'node:http';
import pg from 'pg';
import { createDb } from '../server/db/client';
import { TelemetryLoop } from '../server/jobs/telemetry/loop';
import { FAULTS_CHANNEL } from '../server/live/topics';
import { activeAdapterConfig, activeAdapterKey, createAdapter } from '../server/services/platform/active-adapter';
import { defaultPolicies } from '../server/domain/policy-defaults';
import type { FaultSpec, FleetView } from '../server/platform/adapter';
import { createHaproxyAdapter } from '../server/platform/haproxy';
import { burst, startHaproxyLab } from '../server/platform/haproxy/testing/harness';
import { activateAdapterConfig, importPlatformTopology, saveAdapterConfig } from '../server/services/platform/platform-configs';
import { makeInjection, makeRunningRun } from '../test/fault-fixtures';
import { makeUser } from '../server/db/factories';
import { engageHalt, releaseHalt } from '../server/services/safety/halt';
import { renewedOnce, sigkill, spawnLeaseHolder, spawnWorker, type Child } from '../test/processes';
import { benchDatabase, percentile, summary } from './lib';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request; its status (0 = connection failed). */
const status = (url: string) =>
  new Promise<number>((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5000, () => req.destroy());
  });

/**
 * Rounds of: two workers lead and converge a 100 % 503 fault whose lease a separate process
 * renews every 500 ms; everything is SIGKILLed; seconds until a request through HAProxy is no
 * longer answered 503 (probed every 50 ms).
 */
export async function workerKillToFaultGone(rounds: number, leaseMs: number) {
  const lab = await startHaproxyLab({ shop: { v1: 1 } });
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const seconds: number[] = [];
  let procs: Child[] = [];
  try {
    for (const [kind, document] of Object.entries(defaultPolicies)) await db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
    const actor = { id: null, name: 'bench' };
    const cfg = await saveAdapterConfig(db, actor, { name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
    await importPlatformTopology(db, actor, { id: cfg.id });
    await activateAdapterConfig(db, actor, { id: cfg.id, version: cfg.version });
    const instanceId = (await db.instance.findFirstOrThrow({ where: { name: 'shop-v1-1' } })).id;
    const url = lab.frontends.shop!;
    const env = { SWITCHBACK_FAULT_LEASE_MS: String(leaseMs) };
    for (let r = 0; r < rounds; r++) {
      procs = [spawnWorker(database.url, env), spawnWorker(database.url, env)];
      const { runId } = await makeRunningRun(db);
      const id = await makeInjection(db, { runId, instanceId, backend: 'shop', spec: { kind: 'http-error', status: 503, pct: 100 }, adapterKind: 'haproxy', leaseMs: 120_000 });
      const holder = spawnLeaseHolder(database.url, [id], leaseMs, 500);
      procs.push(holder);
      const deadline = Date.now() + 120_000;
      while ((await status(url)) !== 503 || !renewedOnce(holder)) {
        if (Date.now() > deadline) throw new Error('the fault was never injected');
        await sleep(100);
      }
      // Let the lease be renewed a few times, as in a run that has been going for a while.
      await sleep(leaseMs + 1000);
      const killedAt = performance.now();
      await Promise.all(procs.map(sigkill));
      while ((await status(url)) === 503) {
        if (performance.now() - killedAt > leaseMs + 60_000) throw new Error('the fault outlived its lease by a minute');
        await sleep(50);
      }
      seconds.push(Math.round(performance.now() - killedAt) / 1000);
      // The next round starts clean: a fresh leader marks the row lease_lapsed.
      await db.injection.updateMany({ where: { id }, data: { desired: false, removeReason: 'completed' } });
    }
    return { rounds, leaseS: leaseMs / 1000, goneAfterS: seconds, maxS: Math.max(...seconds), boundS: leaseMs / 1000 };
  } finally {
    await Promise.all(procs.map(sigkill));
    await db.$disconnect();
    await database.stop();
    await lab.close();
  }
}

/**
 * Added latency through HAProxy for a delay fault (set with syncFaults, as the leader does):
 * baseline and delayed requests interleaved in rounds at the same concurrency; median and P90 of
 * the delayed minus the baseline median, next to what the normal distribution (truncated at 0)
 * should give.
 */
export async function haproxyDelayFidelity(spec: Extract<FaultSpec, { kind: 'delay' }>, rounds: number) {
  const lab = await startHaproxyLab({ shop: { v1: 2 } });
  try {
    const adapter = createHaproxyAdapter(lab.adapterConfig);
    const fleet: FleetView = {
      services: [{ id: 's', name: 'shop', routing: { versionWeights: { v1: 100 }, headerRules: [] } }],
      instances: lab.adapterConfig.instances.map((i) => ({ id: i.instance, name: i.instance, serviceId: 's', serviceName: 'shop', appVersion: i.version, region: 'lab', zone: 'lab-a', cluster: 'lab-1', address: i.address ?? '', adminState: 'ready' as const })),
    };
    await adapter.setFleet(fleet);
    const base: number[] = [];
    const slow: number[] = [];
    for (let r = 0; r < rounds; r++) {
      base.push(...(await burst(lab.frontends.shop!, 25, { concurrency: 5 })).latenciesMs);
      await adapter.syncFaults([{ id: 'd', instanceId: '', backend: 'shop', spec, expiresAt: new Date(Date.now() + 60_000) }]);
      slow.push(...(await burst(lab.frontends.shop!, 25, { concurrency: 5 })).latenciesMs);
      await adapter.syncFaults([]);
    }
    const b50 = percentile(base, 50);
    const added = (p: number) => Math.round((percentile(slow, p) - b50) * 10) / 10;
    // max(0, N(μ, σ)): the median is μ when μ ≥ 0; the P90 is μ + 1.2816 σ.
    return { configured: spec, requests: slow.length, expectedMedianMs: spec.delayMs, measuredMedianAddedMs: added(50), expectedP90Ms: Math.round(spec.delayMs + 1.2816 * spec.jitterMs), measuredP90AddedMs: added(90), baselineMedianMs: b50 };
  } finally {
    await lab.close();
  }
}

/**
 * Halt-all as a person presses it: engageHalt (one transaction: the Halt row, the run aborted, its
 * faults desired = false, NOTIFY sb_faults); milliseconds from the command's return until a request
 * through HAProxy is no longer answered 503 (the leader converges at once, not at its next 1 s
 * tick). An approver releases the halt between rounds.
 */
export async function haltToFaultGone(rounds: number) {
  const lab = await startHaproxyLab({ shop: { v1: 1 } });
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const pool = new pg.Pool({ connectionString: database.url, max: 6 });
  const loop = new TelemetryLoop({
    url: database.url, pool, db, tickMs: 1000, log: () => undefined, workerId: 'bench', electionPollMs: 100,
    openAdapter: async () => createAdapter(await activeAdapterConfig(pool)), adapterKey: activeAdapterKey,
  });
  try {
    for (const [kind, document] of Object.entries(defaultPolicies)) await db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
    const actor = { id: null, name: 'bench' };
    const cfg = await saveAdapterConfig(db, actor, { name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
    await importPlatformTopology(db, actor, { id: cfg.id });
    await activateAdapterConfig(db, actor, { id: cfg.id, version: cfg.version });
    const instanceId = (await db.instance.findFirstOrThrow({ where: { name: 'shop-v1-1' } })).id;
    const url = lab.frontends.shop!;
    const operator = (await makeUser(db, { role: 'operator' })).user;
    const approver = (await makeUser(db, { role: 'approver' })).user;
    loop.start();
    const ms: number[] = [];
    const commandMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const { runId } = await makeRunningRun(db);
      await makeInjection(db, { runId, instanceId, backend: 'shop', spec: { kind: 'http-error', status: 503, pct: 100 }, adapterKind: 'haproxy', leaseMs: 600_000 });
      await pool.query(`SELECT pg_notify($1, '')`, [FAULTS_CHANNEL]);
      const deadline = Date.now() + 60_000;
      while ((await status(url)) !== 503) {
        if (Date.now() > deadline) throw new Error('the fault was never injected');
        await sleep(50);
      }
      // Anywhere within the tick, as a person pressing the button would be.
      await sleep(137 * (r + 1) % 1000);
      const started = performance.now();
      await engageHalt(db, operator, { reason: `bench round ${r + 1}` });
      const t0 = performance.now();
      commandMs.push(t0 - started);
      while ((await status(url)) === 503) {
        if (performance.now() - t0 > 60_000) throw new Error('the fault was not removed within a minute');
      }
      ms.push(performance.now() - t0);
      await releaseHalt(db, approver, { reason: `bench round ${r + 1} over` });
    }
    return { rounds, tickMs: 1000, haltCommandMs: summary(commandMs), haltEngagedToFaultGoneMs: summary(ms), maxMs: Math.round(Math.max(...ms)) };
  } finally {
    await loop.stop();
    await pool.end();
    await db.$disconnect();
    await database.stop();
    await lab.close();
  }
}
