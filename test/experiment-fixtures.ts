// Rows the chaos-run tests share: a fleet of two layered services in two zones, the people who run
// and approve, an experiment row, and the telemetry leader's side played by the test — confirming
// faults injected and removed as the leader does after syncFaults, and writing the samples the
// controller reads (VersionSample ticks, a TelemetrySample tick for guards and snapshots).
import { randomBytes } from 'node:crypto';
import type { Db } from '../server/db/client';
import { makeFleet, makeUser } from '../server/db/factories';
import type { Role } from '../server/db/generated/enums';
import { bucketOf, emptyBuckets } from '../server/domain/latency-buckets';
import { experimentSpecSchema, type ExperimentSpecInput } from '../server/domain/experiments/spec';
import { reconcileRun } from '../server/services/experiments/run-reconcile';

export const TICK_MS = 1000;
export const LEASE_MS = 15_000;

export async function chaosFleet(db: Db) {
  const n = `cx${randomBytes(3).toString('hex')}`;
  const za = `z-${n}-a`;
  const zb = `z-${n}-b`;
  const { services } = await makeFleet(db, {
    regions: [{ name: `r-${n}`, zones: [{ name: za, clusters: [`c-${n}-a`] }, { name: zb, clusters: [`c-${n}-b`] }] }],
    services: [
      { name: `${n}-edge`, labels: { layer: 'access' }, placement: [{ cluster: `c-${n}-a`, versions: { v1: 2 } }, { cluster: `c-${n}-b`, versions: { v1: 2 } }] },
      { name: `${n}-db`, labels: { layer: 'data' }, placement: [{ cluster: `c-${n}-a`, versions: { v1: 1 } }, { cluster: `c-${n}-b`, versions: { v1: 1 } }] },
    ],
  });
  const person = async (role: Role) => {
    const { user } = await makeUser(db, { role });
    return { id: user.id, name: user.name, role };
  };
  return {
    n,
    edge: services[0]!,
    data: services[1]!,
    zones: { a: za, b: zb },
    operator: await person('operator'),
    approver: await person('approver'),
    viewer: await person('viewer'),
  };
}
export type ChaosFleet = Awaited<ReturnType<typeof chaosFleet>>;

/** The seed's jitter experiment on one instance of the fleet's edge service (25 % of 4), 10 s. */
export function jitterSpec(f: ChaosFleet, more: Partial<ExperimentSpecInput> = {}): ExperimentSpecInput {
  return {
    fault: { kind: 'delay', delayMs: 200, jitterMs: 300 },
    targets: { regions: [], zones: [], clusters: [], services: [f.edge.name], versions: [], labels: {} },
    selection: { mode: 'one' },
    blastRadius: { maxServicePct: 50, maxZonePct: null, maxClusterPct: null },
    durationS: 10,
    baselineS: 10,
    observeS: 10,
    ...more,
  };
}

export async function makeExperiment(db: Db, f: ChaosFleet, more: Partial<ExperimentSpecInput> = {}) {
  const spec = experimentSpecSchema.parse(jitterSpec(f, more));
  return db.experiment.create({ data: { name: `${f.n}-${randomBytes(2).toString('hex')}`, spec: JSON.parse(JSON.stringify(spec)) as object, createdByName: f.operator.name, createdById: f.operator.id } });
}

export const controller = (db: Db, runId: string, now: Date, owner = 'test-worker') => reconcileRun(db, { runId }, { tickMs: TICK_MS, leaseMs: LEASE_MS, owner, now: () => now });

/** The leader after syncFaults accepted every desired fault of the run. */
export async function leaderConfirms(db: Db, runId: string, at: Date) {
  return db.$executeRaw`
    UPDATE "Injection" SET "injectedAt" = COALESCE("injectedAt", ${at}), "platformExpiresAt" = LEAST("leaseExpiresAt", "expiresAt")
     WHERE "runId" = ${runId}::uuid AND desired AND "removedAt" IS NULL`;
}

/** The leader after syncFaults took out every fault of the run that is no longer desired. */
export async function leaderRemoves(db: Db, runId: string, at: Date) {
  return db.$executeRaw`
    UPDATE "Injection" SET "removedAt" = ${at}, desired = false, "removeReason" = COALESCE("removeReason", 'orphan')
     WHERE "runId" = ${runId}::uuid AND NOT desired AND "removedAt" IS NULL`;
}

/** A histogram of `requests` requests all at about `ms`. */
export function bucketsAt(ms: number, requests: number): number[] {
  const b = emptyBuckets();
  b[bucketOf(ms)] = requests;
  return b;
}

/** One VersionSample per second in [from, to) for the service: `requests` per tick at `ms`, `errors` of them failed. */
export async function versionTicks(db: Db, serviceId: string, from: Date, to: Date, o: { ms: number; requests?: number; errors?: number; zone?: string }) {
  const rows = [];
  for (let t = from.getTime(); t < to.getTime(); t += 1000) {
    const requests = o.requests ?? 100;
    rows.push({ at: new Date(t), serviceId, appVersion: 'v1', zone: o.zone ?? 'all', instances: 1, requests, errors: o.errors ?? 0, buckets: bucketsAt(o.ms, requests) });
  }
  await db.versionSample.createMany({ data: rows, skipDuplicates: false });
}

let tickSlot = Date.UTC(2026, 0, 1);

/** A new latest Tick with a TelemetrySample for each given instance (by name): level, breaker, buffer fill. */
export async function latestTick(db: Db, samples: Array<{ instance: string; level?: number; breaker?: string; fill?: number }>) {
  tickSlot += 1000;
  const at = new Date(tickSlot);
  const tick = await db.tick.create({ data: { startedAt: at, finishedAt: at, durationMs: 1, instances: samples.length, leader: 'test' } });
  for (const s of samples) {
    const i = await db.instance.findUniqueOrThrow({ where: { name: s.instance } });
    await db.telemetrySample.create({
      data: { instanceId: i.id, at, tickId: tick.id, targetWeight: 1, effectiveWeight: 1, degradation: s.level ?? 0, breaker: s.breaker ?? 'closed', stageFill: [s.fill ?? 0, 0, 0, 0, 0], stageState: [] },
    });
  }
  return tick;
}

export const sec = (base: Date, s: number) => new Date(base.getTime() + s * 1000);

export async function runOf(db: Db, id: string) {
  return db.experimentRun.findUniqueOrThrow({ where: { id }, include: { targets: { orderBy: { instanceName: 'asc' } }, injections: true } });
}

/**
 * A run on a fleet of its own, brought to `stage` through the real start and controller (the test
 * plays the leader); `reported` carries a report (built with no samples: layers empty).
 */
export async function runAt(db: Db, stage: 'pending' | 'running' | 'reported') {
  const { startRun } = await import('../server/services/experiments/run-start');
  const { buildRunReport } = await import('../server/domain/experiments/report');
  const f = await chaosFleet(db);
  const e = await makeExperiment(db, f);
  const { id } = await startRun(db, f.operator, { experimentId: e.id });
  if (stage !== 'pending') {
    const t0 = new Date();
    await controller(db, id, t0);
    await leaderConfirms(db, id, t0);
    await controller(db, id, t0);
  }
  if (stage === 'reported') {
    const spec = experimentSpecSchema.parse(e.spec);
    const now = Date.now();
    const report = buildRunReport({ spec, layers: [], baseline: { from: now - 10_000, to: now }, fault: { from: now, to: now }, observeUntil: now });
    await db.experimentRun.update({ where: { id }, data: { report: JSON.parse(JSON.stringify(report)) as object } });
  }
  return { f, experiment: e, run: await db.experimentRun.findUniqueOrThrow({ where: { id } }) };
}
