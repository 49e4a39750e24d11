// Injection rows for the fault-convergence tests, without the run controller: a minimal
// Experiment and ExperimentRun to own them, and a lease the test renews (or stops renewing). And
// the setup of the real-run tests on HAProxy (a lab as the active platform, real worker processes
// leading, an experiment started through the service and brought to running by those workers).
import { expect } from 'vitest';
import type { Db } from '../server/db/client';
import type { FaultSpec } from '../server/platform/adapter';
import { defaultPolicies } from '../server/domain/policy-defaults';
import { experimentSpecSchema, type ExperimentSpecInput } from '../server/domain/experiments/spec';
import { burst, startHaproxyLab, type HaproxyLab } from '../server/platform/haproxy/testing/harness';
import { activateAdapterConfig, importPlatformTopology, saveAdapterConfig } from '../server/services/platform/platform-configs';
import { startRun, type RunActor } from '../server/services/experiments/run-start';
import { sigkill, spawnWorker, type Child } from './processes';

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
  try {
    const cfg = await saveAdapterConfig(db, admin, { name: 'lab', kind: 'haproxy', config: lab.adapterConfig });
    await importPlatformTopology(db, admin, { id: cfg.id });
    await activateAdapterConfig(db, admin, { id: cfg.id, version: cfg.version });
  } catch (err) {
    // The caller never gets the lab to close: stop its HAProxy and servers here.
    await lab.close();
    throw err;
  }
  return lab;
}

/** How many of `n` requests through a lab frontend (4 at a time) were answered 503. */
export async function count503(url: string, n = 40): Promise<number> {
  return (await burst(url, n, { concurrency: 4 })).byStatus[503] ?? 0;
}

/**
 * An experiment row with `fault` on every instance of `services` (blast radius 100 %: raise the
 * global maximum with allowFullBlastRadius), no steady state or abort conditions, 10 min long.
 */
export async function experimentOn(db: Db, by: RunActor, services: string[], fault: ExperimentSpecInput['fault'], name = `${services.join('-')}-${fault.kind}`) {
  const spec = experimentSpecSchema.parse({
    fault,
    targets: { regions: [], zones: [], clusters: [], services, versions: [], labels: {} },
    selection: { mode: 'all' },
    blastRadius: { maxServicePct: 100, maxZonePct: null, maxClusterPct: null },
    durationS: 600,
    baselineS: 10,
    observeS: 10,
  });
  return db.experiment.create({ data: { name, spec: JSON.parse(JSON.stringify(spec)) as object, createdByName: by.name, createdById: by.id } });
}

/** The admin's global blast-radius maximum at 100 % (the lab services have one or two servers). */
export async function allowFullBlastRadius(db: Db): Promise<void> {
  await db.systemSetting.create({ data: { key: 'chaos.limits', value: { maxBlastRadiusPct: 100 } } });
}

/** `n` real worker processes (the caller SIGKILLs them by PID when done); resolves once the telemetry leader among them has ticked twice. */
export async function leadingWorkers(db: Db, url: string, env: Record<string, string> = {}, n = 2): Promise<Child[]> {
  const procs = Array.from({ length: n }, () => spawnWorker(url, env));
  try {
    await expect.poll(() => db.tick.count(), { timeout: 180_000, interval: 200 }).toBeGreaterThanOrEqual(2);
  } catch (err) {
    for (const p of procs) console.log(p.output().slice(-3000));
    await Promise.all(procs.map(sigkill));
    throw err;
  }
  return procs;
}

/**
 * Starts a run through the service and waits until the workers' controller has it past pending
 * and injecting; it must then be running (else the assertion shows the state and its words: a
 * guard, the steady state, a refused fault …).
 */
export async function startRunning(db: Db, by: RunActor, input: Parameters<typeof startRun>[2]): Promise<string> {
  const { id } = await startRun(db, by, input);
  const run = () => db.experimentRun.findUniqueOrThrow({ where: { id } });
  await expect.poll(async () => ['pending', 'injecting'].includes((await run()).state), { timeout: 120_000, interval: 200 }).toBe(false);
  const r = await run();
  expect(r.state, `the run ended ${r.state}: ${r.stateDetail ?? '(no detail)'}`).toBe('running');
  return id;
}
