import type { Db } from '../server/db/client';
import { generatePassword, hashPassword } from '../server/auth/password';
import { makeDefaultPolicies } from '../server/db/factories';
import { env } from '../server/env';
import { DEMO_DEMAND_RPS, DEMO_SIM_CONFIG } from '../server/platform/sim/config';
import { DEMO_INSTANCES, demoDemandRps, demoFleetOfSize } from './demo-fleet';
import { insertFleet } from './seed-fleet';
import { seedFinishedRollout, seedRolloutTemplates } from './seed-rollouts';

const SEED_KEY = 'seed';

export interface SeedResult {
  seeded: boolean;
  admin?: { name: string; password: string };
  /** The fleet in words for the start banner, with what to do when the requested size is not the seeded one. */
  fleet: string;
}

export interface SeedOptions {
  adminName: string;
  demo: boolean;
  /** Demo fleet size; unset = SWITCHBACK_DEMO_INSTANCES, else the 84 of the demo. */
  demoInstances?: number;
}

/**
 * First start only: the admin user with a generated password, the global default policies and
 * (unless SWITCHBACK_SEED=none) the demo platform, all in one transaction, marked as done so a
 * second start never seeds again. The fleet size is fixed then: a later start asking for another
 * size keeps the fleet it has and says how to get the other one (a new data folder), because
 * reshaping a fleet under its rollouts, experiments and telemetry history would rewrite that history.
 */
export async function seedIfEmpty(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const explicit = opts.demoInstances ?? env().SWITCHBACK_DEMO_INSTANCES;
  const size = explicit ?? DEMO_INSTANCES;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const result = await db.$transaction(
    async (tx) => {
      // Serialise concurrent first starts against the same database.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('switchback-seed'))`;
      const done = await tx.systemSetting.findUnique({ where: { key: SEED_KEY } });
      if (done) return { seeded: false as const, before: done.value as { demo?: boolean; instances?: number } | null };
      const admin = await tx.user.create({ data: { name: opts.adminName, displayName: 'Administrator', role: 'admin', passwordHash } });
      await makeDefaultPolicies(tx);
      const spec = demoFleetOfSize(size);
      // A scaled demo's demand grows with it (demoDemandRps); without the demo the default stands.
      const demandRps = opts.demo ? demoDemandRps(spec, DEMO_DEMAND_RPS) : undefined;
      if (opts.demo) {
        await insertFleet(tx, spec);
        await seedRolloutTemplates(tx);
        await seedFinishedRollout(tx);
        await (await import('./demo-calls')).seedDemoCalls(tx);
      }
      // The embedded simulator is the platform until an operator connects a real one (Settings).
      await tx.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { ...DEMO_SIM_CONFIG, ...(demandRps ? { demandRps } : {}) } } });
      await tx.auditEvent.create({
        data: { actorName: 'seed', action: 'system.seed', targetType: 'system', targetId: 'seed', after: { demo: opts.demo, admin: admin.name, ...(opts.demo ? { instances: size } : {}) } },
      });
      await tx.systemSetting.create({ data: { key: SEED_KEY, value: { at: new Date().toISOString(), demo: opts.demo, ...(opts.demo ? { instances: size } : {}) } } });
      return { seeded: true as const, admin: { name: admin.name, password } };
    },
    { timeout: 120_000 },
  );
  const fleet = await describeFleet(db);
  if (result.seeded) return { seeded: true, admin: result.admin, fleet };
  return { seeded: false, fleet: fleet + sizeNote(result.before, explicit) };
}

/** What runs now (a start after scale-outs or an import differs from what was seeded). */
async function describeFleet(db: Db): Promise<string> {
  const [instances, services, clusters, zones] = await Promise.all([db.instance.count(), db.service.count(), db.cluster.count(), db.zone.count()]);
  const n = (x: number, one: string, many: string) => `${x.toLocaleString('en-US')} ${x === 1 ? one : many}`;
  return `${n(instances, 'instance', 'instances')} · ${n(services, 'service', 'services')} · ${n(clusters, 'cluster', 'clusters')} in ${n(zones, 'zone', 'zones')}`;
}

/** Words for a start that asks for a demo size this data folder was not seeded with. */
export function sizeNote(before: { demo?: boolean; instances?: number } | null, requested: number | undefined): string {
  if (requested === undefined) return '';
  // Data folders seeded before the setting existed hold the default demo.
  const seededWith = before?.demo === false ? null : (before?.instances ?? DEMO_INSTANCES);
  if (seededWith === requested) return '';
  const what = seededWith === null ? 'was seeded without the demo (SWITCHBACK_SEED=none)' : `was seeded with the ${seededWith.toLocaleString('en-US')}-instance demo`;
  return ` (SWITCHBACK_DEMO_INSTANCES=${requested} is not applied: this database ${what}, and the size is fixed at the first start. For a ${requested.toLocaleString('en-US')}-instance demo start with a new data folder, e.g. SWITCHBACK_DATA_DIR=.data-${requested} npm start)`;
}
