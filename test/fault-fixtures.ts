// Injection rows for the fault-convergence tests, without the run controller: a minimal
// Experiment and ExperimentRun to own them, and a lease the test renews (or stops renewing).
import type { Db } from '../server/db/client';
import type { FaultSpec } from '../server/platform/adapter';
import { defaultPolicies } from '../server/domain/policy-defaults';
import { startHaproxyLab, type HaproxyLab } from '../server/platform/haproxy/testing/harness';
import { activateAdapterConfig, importPlatformTopology, saveAdapterConfig } from '../server/services/platform/platform-configs';

let runs = 0;

/** A running run of a throwaway experiment (the tests only need an owner for the rows). */
export async function makeRunningRun(db: Db): Promise<{ runId: string }> {
  const n = ++runs;
  const exp = await db.experiment.create({ data: { name: `fault-fixture-${process.pid}-${n}-${Math.random().toString(36).slice(2, 8)}`, spec: {}, createdByName: 'test' } });
  const run = await db.experimentRun.create({ data: { experimentId: exp.id, number: 1, spec: {}, experimentVersion: 1, state: 'running', startedByName: 'test' } });
  return { runId: run.id };
}

export interface InjectionInput {
  runId: string;
  instanceId: string;
  backend?: string;
  spec: FaultSpec;
  cohort?: { header: string; value: string };
  adapterKind: string;
  leaseMs: number;
  expiresInMs?: number;
}

export async function makeInjection(db: Db, x: InjectionInput): Promise<string> {
  const now = Date.now();
  const row = await db.injection.create({
    data: {
      runId: x.runId,
      instanceId: x.instanceId,
      backend: x.backend ?? null,
      spec: x.spec,
      ...(x.cohort ? { cohort: x.cohort } : {}),
      adapterKind: x.adapterKind,
      leaseOwner: 'test',
      leaseExpiresAt: new Date(now + x.leaseMs),
      expiresAt: new Date(now + (x.expiresInMs ?? 600_000)),
    },
  });
  return row.id;
}

/** Pushes the leases of the desired, unremoved rows `ms` ahead (what a run controller does). */
export async function renewLeases(db: Db, ids: string[], ms: number): Promise<number> {
  const { count } = await db.injection.updateMany({ where: { id: { in: ids }, desired: true, removedAt: null }, data: { leaseExpiresAt: new Date(Date.now() + ms) } });
  return count;
}

/**
 * Renews the leases every `everyMs` until stopped: the stand-in for a run controller. Pacing,
 * not waiting: nothing in the tests waits on it.
 */
export function leaseRenewer(db: Db, ids: string[], leaseMs: number, everyMs: number) {
  let failures = 0;
  const timer = setInterval(() => {
    renewLeases(db, ids, leaseMs).catch(() => failures++);
  }, everyMs);
  return {
    failures: () => failures,
    stop: () => clearInterval(timer),
  };
}

/** The default global policies (a leader needs them to tick). */
export async function seedDefaultPolicies(db: Db): Promise<void> {
  for (const [kind, document] of Object.entries(defaultPolicies)) {
    await db.policy.create({ data: { kind: kind as keyof typeof defaultPolicies, scope: 'global', document } });
  }
}

/** A real HAProxy lab saved, imported (its instances become the fleet) and activated as the adapter. */
export async function activeHaproxyLab(db: Db, services: Parameters<typeof startHaproxyLab>[0]): Promise<HaproxyLab> {
  const admin = { id: null, name: 'test' };
  const lab = await startHaproxyLab(services);
  const cfg = await saveAdapterConfig(db, admin, { name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
  await importPlatformTopology(db, admin, { id: cfg.id });
  await activateAdapterConfig(db, admin, { id: cfg.id, version: cfg.version });
  return lab;
}
