// Rows the experiments and safety tests share: a small fleet, an experiment draft from the seed's
// template, and a run brought to a state with its injections written as the run controller writes
// them (the controller itself is the runs engineer's; these tests exercise what acts on its rows).
import { randomBytes } from 'node:crypto';
import type { Db } from '../server/db/client';
import { makeFleet, makeUser } from '../server/db/factories';
import type { ExperimentRunState } from '../server/db/generated/enums';
import type { ExperimentDraft } from '../server/domain/experiments/spec';
import { templateByKey } from '../server/domain/experiments/templates';
import { createExperiment } from '../server/services/experiments/experiment-commands';

export const actorOf = (u: { id: string; name: string }) => ({ id: u.id, name: u.name });

export async function chaosFleet(db: Db) {
  const n = `cx${randomBytes(3).toString('hex')}`;
  const { services } = await makeFleet(db, {
    regions: [{ name: `r-${n}`, zones: [{ name: `z-${n}-a`, clusters: [`c-${n}-a`] }, { name: `z-${n}-b`, clusters: [`c-${n}-b`] }] }],
    services: [{ name: `${n}-edge`, placement: [{ cluster: `c-${n}-a`, versions: { v1: 2 } }, { cluster: `c-${n}-b`, versions: { v1: 2 } }] }],
  });
  const person = async (role: 'viewer' | 'operator' | 'approver' | 'admin') => (await makeUser(db, { role })).user;
  return { n, service: services[0]!, operator: await person('operator'), approver: await person('approver'), admin: await person('admin'), viewer: await person('viewer') };
}

/** The seed's jitter template on one instance of `service` (one target keeps the runs these tests start small and quick). */
export function draftFor(service: string, more: Partial<ExperimentDraft> = {}): ExperimentDraft {
  const t = templateByKey('seed-jitter')!;
  return { name: `jitter ${service} ${randomBytes(6).toString('hex')}`, description: 'test', templateKey: t.key, spec: { ...t.spec, targets: { ...t.spec.targets, services: [service] }, selection: { mode: 'one' } }, ...more };
}

export async function experimentOf(db: Db, f: Awaited<ReturnType<typeof chaosFleet>>, more: Partial<ExperimentDraft> = {}) {
  const { id } = await createExperiment(db, actorOf(f.operator), { draft: draftFor(f.service.name, more) });
  return db.experiment.findUniqueOrThrow({ where: { id } });
}

/** A run of `experimentId` in `state` with one desired injection per instance of the fleet's service. */
export async function runIn(db: Db, experimentId: string, state: ExperimentRunState, f: Awaited<ReturnType<typeof chaosFleet>>) {
  const e = await db.experiment.findUniqueOrThrow({ where: { id: experimentId } });
  const number = ((await db.experimentRun.aggregate({ where: { experimentId }, _max: { number: true } }))._max.number ?? 0) + 1;
  const run = await db.experimentRun.create({
    data: { experimentId, number, spec: e.spec as object, experimentVersion: e.version, state, startedByName: f.operator.name, startedById: f.operator.id, injectedAt: state === 'pending' ? null : new Date() },
  });
  const instances = await db.instance.findMany({ where: { serviceId: f.service.id }, take: 2 });
  const soon = new Date(Date.now() + 60_000);
  for (const i of instances) {
    await db.injection.create({ data: { runId: run.id, instanceId: i.id, spec: { kind: 'delay', delayMs: 200, jitterMs: 300 }, adapterKind: 'sim', desired: true, leaseOwner: 'test-worker', leaseExpiresAt: soon, expiresAt: soon } });
  }
  return run;
}
