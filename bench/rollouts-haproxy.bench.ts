// Command → routing applied on a real HAProxy (issue 11 benchmarks), run as in production: a worker
// (graphile-worker with the task registry, the telemetry loop leading at the default tick) and the
// operator's commands. Each repetition is a start or a promote into a setWeight step; measured
// from the command call (its commit included) to (a) Service.appliedVersion reaching the routing
// version the reconciler wrote, (b) HAProxy's server weights (Runtime API) carrying the split and
// (c) the reconciler seeing it applied and moving on to the next step.
// `npm run bench -- rollouts-haproxy`.
import { createDb } from '../server/db/client';
import { makeDefaultPolicies, makeUser } from '../server/db/factories';
import type { RolloutSpec, RolloutStep } from '../server/domain/rollouts/spec';
import { parseEnv } from '../server/env';
import { startWorker, type WorkerHandle } from '../server/jobs/worker';
import { RuntimeClient } from '../server/platform/haproxy';
import { startHaproxyLab } from '../server/platform/haproxy/testing/harness';
import { activateAdapterConfig, importPlatformTopology, saveAdapterConfig } from '../server/services/platform/platform-configs';
import { abortRollout, createRollout, startRollout } from '../server/services/rollouts/rollout-commands';
import { promoteRollout } from '../server/services/rollouts/rollout-promote';
import { benchDatabase, summary } from './lib';

const REPS = 20;
/** Per repetition; a slower one fails the benchmark rather than hanging it. */
const REP_TIMEOUT_MS = 15_000;
const POLL_MS = 5;

const round = (x: number) => Math.round(x * 10) / 10;

export async function run(): Promise<Record<string, unknown>> {
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  const lab = await startHaproxyLab({ shop: { v1: 2, v2: 1 } });
  const env = parseEnv({ SWITCHBACK_WORKER_CONCURRENCY: '2', SWITCHBACK_TELEMETRY_LOOP: 'true' });
  let worker: WorkerHandle | null = null;
  try {
    await makeDefaultPolicies(db);
    const system = { id: null, name: 'bench' };
    const cfg = await saveAdapterConfig(db, system, { name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
    await importPlatformTopology(db, system, { id: cfg.id });
    await activateAdapterConfig(db, system, { id: cfg.id, version: cfg.version });
    const operator = (await makeUser(db, { role: 'operator' })).user;
    const approver = (await makeUser(db, { role: 'approver' })).user;
    worker = await startWorker({ db, env, connectionString: database.url, log: () => undefined });
    const svc = await db.service.findUniqueOrThrow({ where: { name: 'shop' } });
    // The loop leads once it applied the imported routing.
    await until(async () => (await db.service.findUniqueOrThrow({ where: { id: svc.id } })).appliedVersion >= svc.version, 30_000, 'the telemetry loop to apply the imported routing');

    // setWeight 5 %, pause, setWeight 10 %, pause, … : each command lands on a setWeight step.
    const weights = Array.from({ length: REPS }, (_, i) => 5 * (i + 1));
    const steps: RolloutStep[] = weights.flatMap((weight): RolloutStep[] => [{ kind: 'setWeight', weight }, { kind: 'pause' }]);
    const spec: RolloutSpec = { name: 'shop v2 (bench)', service: 'shop', stableVersion: 'v1', canaryVersion: 'v2', steps, backgroundAnalysis: null, alpha: 0.01 };
    const created = await createRollout(db, operator, { spec });
    const client = new RuntimeClient(lab.adapterConfig.sockets[0]!.address, 5000);
    const canaryShare = async () => {
      const w = async (server: string) => Number(/^(\d+)/.exec(await client.send(`get weight be_shop/${server}`))?.[1] ?? NaN);
      const [a, b, c] = await Promise.all([w('shop-v1-1'), w('shop-v1-2'), w('shop-v2-1')]);
      return c / (a + b + c);
    };

    const commandMs: number[] = [];
    const appliedMs: number[] = [];
    const haproxyMs: number[] = [];
    /** Until the reconciler saw it applied and moved on to the next step (its next look). */
    const stepDoneMs: number[] = [];
    let version = created.version;
    for (let i = 0; i < REPS; i++) {
      const before = await db.service.findUniqueOrThrow({ where: { id: svc.id } });
      const target = before.version + 1;
      const t0 = performance.now();
      await (i === 0 ? startRollout(db, operator, { id: created.id, version }) : promoteRollout(db, approver, { id: created.id, version }));
      commandMs.push(performance.now() - t0);
      const [applied, routed] = await Promise.all([
        until(async () => (await db.service.findUniqueOrThrow({ where: { id: svc.id } })).appliedVersion >= target, REP_TIMEOUT_MS, `routing version ${target} applied`),
        until(async () => Math.abs((await canaryShare()) - weights[i]! / 100) < 0.01, REP_TIMEOUT_MS, `HAProxy routing ${weights[i]} % to v2`),
      ]);
      appliedMs.push(applied - t0);
      haproxyMs.push(routed - t0);
      // The step wrote exactly one routing version, then the rollout waits at the next pause.
      const r = await untilValue(() => db.rollout.findUniqueOrThrow({ where: { id: created.id } }), (x) => x.state === 'paused' && x.currentStep === 2 * i + 1, REP_TIMEOUT_MS, `the pause after step ${2 * i}`);
      stepDoneMs.push(performance.now() - t0);
      if (r.routingVersion !== target) throw new Error(`step ${2 * i} wrote routing version ${r.routingVersion}, expected ${target}`);
      version = r.version;
    }
    // Then one abort: back to 100 % v1 (header rules removed) in one routing change, same path.
    const before = await db.service.findUniqueOrThrow({ where: { id: svc.id } });
    const t0 = performance.now();
    await abortRollout(db, operator, { id: created.id, version, reason: 'bench' });
    const [abortApplied, abortRouted] = await Promise.all([
      until(async () => (await db.service.findUniqueOrThrow({ where: { id: svc.id } })).appliedVersion > before.version, REP_TIMEOUT_MS, 'the rollback applied'),
      until(async () => (await canaryShare()) === 0, REP_TIMEOUT_MS, 'HAProxy routing 0 % to v2'),
    ]);
    const ms = (xs: number[]) => {
      const s = summary(xs);
      return { p50: round(s.p50), p95: round(s.p95), max: round(Math.max(...xs)) };
    };
    return {
      bench: 'rollouts-haproxy',
      reps: REPS,
      tickMs: env.SWITCHBACK_TICK_MS,
      commandMs: ms(commandMs),
      commandToAppliedVersionMs: ms(appliedMs),
      commandToHaproxySplitMs: ms(haproxyMs),
      commandToNextStepMs: ms(stepDoneMs),
      abortToAppliedVersionMs: round(abortApplied - t0),
      abortToHaproxyMs: round(abortRouted - t0),
    };
  } finally {
    await worker?.stop();
    await db.$disconnect();
    await lab.close();
    await database.stop();
  }
}

/** Polls `ok` every few ms; resolves with the performance.now() of the first true. */
async function until(ok: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    if (await ok()) return performance.now();
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function untilValue<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  let last: T | undefined;
  await until(async () => ok((last = await get())), timeoutMs, what);
  return last!;
}
