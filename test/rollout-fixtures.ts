// Rows the rollout tests share: a service with a stable and a canary version in two zones, the
// people who author, start and approve, a spec builder, and the one call of the telemetry loop a
// reconciler test plays itself (the platform reporting the routing applied).
import { randomBytes } from 'node:crypto';
import type { Db } from '../server/db/client';
import { makeFleet, makeUser } from '../server/db/factories';
import type { Role } from '../server/db/generated/enums';
import type { RolloutSpec, RolloutStep } from '../server/domain/rollouts/spec';
import { convergeService } from '../server/services/topology/topology';
import { reconcileRollout } from '../server/services/rollouts/reconcile';
import { createRollout, startRollout } from '../server/services/rollouts/rollout-commands';

export const TICK_MS = 1000;

export async function rolloutFleet(db: Db) {
  const n = `ro${randomBytes(3).toString('hex')}`;
  const { services } = await makeFleet(db, {
    regions: [{ name: `r-${n}`, zones: [{ name: `z-${n}-a`, clusters: [`c-${n}-a`] }, { name: `z-${n}-b`, clusters: [`c-${n}-b`] }] }],
    services: [
      {
        name: n,
        routing: { versionWeights: { v1: 100, v2: 0 }, headerRules: [] },
        placement: [
          { cluster: `c-${n}-a`, versions: { v1: 2, v2: 1 } },
          { cluster: `c-${n}-b`, versions: { v1: 2 } },
        ],
      },
    ],
  });
  const person = async (role: Role) => (await makeUser(db, { role })).user;
  return {
    service: services[0]!,
    zones: { a: `z-${n}-a`, b: `z-${n}-b` },
    canaryInstance: `${n}-c-${n}-a-v2-1`,
    operator: await person('operator'),
    approver1: await person('approver'),
    approver2: await person('approver'),
    viewer: await person('viewer'),
  };
}

export function specFor(service: string, steps: RolloutStep[], more: Partial<RolloutSpec> = {}): RolloutSpec {
  return { name: `${service} v2`, service, stableVersion: 'v1', canaryVersion: 'v2', steps, backgroundAnalysis: null, alpha: 0.01, ...more };
}

export const actorOf = (u: { id: string; name: string }) => ({ id: u.id, name: u.name });

/** A rollout of `f`'s service created and started by its operator; its id. */
export async function startedRollout(db: Db, f: Awaited<ReturnType<typeof rolloutFleet>>, steps: RolloutStep[], more: Partial<RolloutSpec> = {}) {
  const { id, version } = await createRollout(db, actorOf(f.operator), { spec: specFor(f.service.name, steps, more) });
  await startRollout(db, actorOf(f.operator), { id, version });
  return id;
}

/** What the telemetry leader does after the adapter applied a service's routing. */
export async function platformApplies(db: Db, serviceId: string) {
  const s = await db.service.findUniqueOrThrow({ where: { id: serviceId } });
  await convergeService(db, { serviceId, version: s.version });
  return s.version;
}

export const reconcile = (db: Db, rolloutId: string, now?: Date) => reconcileRollout(db, { rolloutId }, { tickMs: TICK_MS, now: now ? () => now : undefined });

/** Reconciles (converging the platform in between) until `done` says so; at most `max` rounds. */
export async function runUntil(db: Db, rolloutId: string, serviceId: string, done: (r: { state: string; currentStep: number }) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    await reconcile(db, rolloutId);
    const r = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    if (done(r)) return r;
    await platformApplies(db, serviceId);
  }
  throw new Error(`rollout ${rolloutId} did not reach the expected state in ${max} rounds`);
}

/** Per-tick counts of both versions in the canary's zone from `from`, as the telemetry loop records them. */
export async function canaryErrorSamples(db: Db, f: Awaited<ReturnType<typeof rolloutFleet>>, from: Date, seconds: number, canaryErrorRate: number, stableErrorRate: number) {
  const rows = [];
  for (let s = 0; s < seconds; s++) {
    const at = new Date(from.getTime() + s * 1000);
    rows.push({ at, serviceId: f.service.id, appVersion: 'v2', zone: f.zones.a, instances: 1, requests: 200, errors: 200 * canaryErrorRate });
    rows.push({ at, serviceId: f.service.id, appVersion: 'v1', zone: f.zones.a, instances: 2, requests: 400, errors: 400 * stableErrorRate });
  }
  await db.versionSample.createMany({ data: rows });
}

export async function jobsFor(db: Db, rolloutId: string) {
  return db.$queryRaw<Array<{ key: string | null; run_at: Date }>>`
    SELECT j.key, j.run_at FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = 'rollout_reconcile' AND j.payload->>'rolloutId' = ${rolloutId}`;
}

type Stage = 'pending' | 'progressing' | 'paused' | 'guard' | 'approval' | 'rolled_back';

/**
 * A rollout on a fleet of its own, brought to `stage` through the real commands and reconciler
 * (a guard hold is written as the reconciler writes it). Its author is `f.operator`.
 */
export async function rolloutAt(db: Db, stage: Stage) {
  const { createRollout, startRollout, pauseRollout, abortRollout } = await import('../server/services/rollouts/rollout-commands');
  const f = await rolloutFleet(db);
  const steps: RolloutStep[] =
    stage === 'approval' ? [{ kind: 'approval', quorum: 2, expiresInS: 600, onExpiry: 'abort' }, { kind: 'setWeight', weight: 20 }] : [{ kind: 'setWeight', weight: 10 }, { kind: 'setWeight', weight: 20 }];
  const { id, version } = await createRollout(db, actorOf(f.operator), { spec: specFor(f.service.name, steps) });
  const current = () => db.rollout.findUniqueOrThrow({ where: { id } });
  if (stage === 'pending') return { f, rollout: await current() };
  await startRollout(db, actorOf(f.operator), { id, version });
  if (stage === 'paused') await pauseRollout(db, actorOf(f.operator), { id, version: version + 1 });
  if (stage === 'approval') await reconcile(db, id);
  if (stage === 'guard') {
    await db.rollout.update({ where: { id }, data: { state: 'paused', pauseReason: 'guard', stateDetail: 'Held by the degradation guard (test)', version: { increment: 1 } } });
  }
  if (stage === 'rolled_back') {
    await abortRollout(db, actorOf(f.operator), { id, version: version + 1, reason: 'test' });
    await platformApplies(db, f.service.id);
    await reconcile(db, id);
  }
  return { f, rollout: await current() };
}

/**
 * Runs `fn` while an HAProxy adapter (exact header matches only, no latency histogram: no metrics
 * source) is the active platform; nothing connects, capabilities come from its configuration.
 */
export async function withExactOnlyPlatform<T>(db: Db, service: string, fn: () => Promise<T>): Promise<T> {
  const active = await db.adapterConfig.findMany({ where: { active: true }, select: { id: true } });
  await db.adapterConfig.updateMany({ where: { active: true }, data: { active: false } });
  const cfg = await db.adapterConfig.create({
    data: {
      name: `haproxy-${randomBytes(3).toString('hex')}`,
      kind: 'haproxy',
      active: true,
      config: { sockets: [{ name: 'lb', address: '/tmp/no-such.sock' }], mapDir: '/tmp', services: [{ service, backend: 'be', versionBackends: { v1: 'be_v1', v2: 'be_v2' }, headerMap: '/tmp/no-such.map' }], instances: [] },
    },
  });
  try {
    return await fn();
  } finally {
    await db.adapterConfig.delete({ where: { id: cfg.id } });
    await db.adapterConfig.updateMany({ where: { id: { in: active.map((a) => a.id) } }, data: { active: true } });
  }
}
