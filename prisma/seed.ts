import type { Db } from '../server/db/client';
import { generatePassword, hashPassword } from '../server/auth/password';
import { makeDefaultPolicies, makeFleet } from '../server/db/factories';
import { DEMO_SIM_CONFIG } from '../server/platform/sim/config';
import { demoFleet } from './demo-fleet';
import { seedFinishedRollout, seedRolloutTemplates } from './seed-rollouts';

const SEED_KEY = 'seed';

export interface SeedResult {
  seeded: boolean;
  admin?: { name: string; password: string };
}

/**
 * First start only: the admin user with a generated password, the global default policies and
 * (unless SWITCHBACK_SEED=none) the demo platform, all in one transaction, marked as done so a
 * second start never seeds again.
 */
export async function seedIfEmpty(db: Db, opts: { adminName: string; demo: boolean }): Promise<SeedResult> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return db.$transaction(
    async (tx) => {
      // Serialise concurrent first starts against the same database.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('switchback-seed'))`;
      if (await tx.systemSetting.findUnique({ where: { key: SEED_KEY } })) return { seeded: false };
      const admin = await tx.user.create({ data: { name: opts.adminName, displayName: 'Administrator', role: 'admin', passwordHash } });
      await makeDefaultPolicies(tx);
      if (opts.demo) {
        await makeFleet(tx, demoFleet);
        await seedRolloutTemplates(tx);
        await seedFinishedRollout(tx);
        await (await import('./demo-calls')).seedDemoCalls(tx);
      }
      // The embedded simulator is the platform until an operator connects a real one (Settings).
      await tx.adapterConfig.create({ data: { name: 'simulator', kind: 'sim', active: true, config: { ...DEMO_SIM_CONFIG } } });
      await tx.auditEvent.create({
        data: { actorName: 'seed', action: 'system.seed', targetType: 'system', targetId: 'seed', after: { demo: opts.demo, admin: admin.name } },
      });
      await tx.systemSetting.create({ data: { key: SEED_KEY, value: { at: new Date().toISOString(), demo: opts.demo } } });
      return { seeded: true, admin: { name: admin.name, password } };
    },
    { timeout: 60_000 },
  );
}
