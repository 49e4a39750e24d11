// The simulator's control API (set a service's demand, stress an instance), for demos and tests.
// Controls are stored settings the telemetry leader hands to the simulator before each tick; each
// carries an expiry, so a forgotten stress ends by itself. Refused unless the simulator is the
// active adapter: on a real platform these knobs do not exist.
import { z } from 'zod';
import type { Db, Tx } from '../../db/client';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor } from '../command';
import { name, uuid } from '../../domain/inputs';

export const SIM_CONTROLS_KEY = 'sim.controls';

// A type alias, not an interface: Prisma's JSON input needs the implicit index signature.
export type SimControlsDoc = {
  demand: Array<{ serviceId: string; factor: number; until: string }>;
  stress: Array<{ instanceId: string; cpuPct: number; until: string }>;
};

const durationS = z.number({ error: 'Enter a duration in seconds' }).int('Whole seconds').min(5, 'At least 5 seconds').max(3600, 'At most one hour (3600 s)');

export const setDemandInput = z.object({
  serviceId: uuid(),
  factor: z.number({ error: 'Enter a factor' }).min(0, 'At least 0').max(10, 'At most 10× the normal demand'),
  durationS,
});

// By id (the console) or by name (scripts, demos, tests): exactly one of them.
export const stressInstanceInput = z
  .object({
    instanceId: uuid().optional(),
    instanceName: name().optional(),
    cpuPct: z.number({ error: 'Enter a CPU percentage' }).min(1, 'At least 1 %').max(100, 'At most 100 %'),
    durationS,
  })
  .refine((v) => (v.instanceId === undefined) !== (v.instanceName === undefined), { message: 'Give either instanceId or instanceName', path: ['instanceId'] });

async function activeKind(db: Db | Tx): Promise<string> {
  const a = await db.adapterConfig.findFirst({ where: { active: true }, orderBy: { updatedAt: 'desc' }, select: { kind: true } });
  return a?.kind ?? 'sim';
}

function live(doc: SimControlsDoc, now: Date): SimControlsDoc {
  const t = now.getTime();
  return { demand: doc.demand.filter((d) => Date.parse(d.until) > t), stress: doc.stress.filter((s) => Date.parse(s.until) > t) };
}

async function readDoc(db: Db | Tx): Promise<SimControlsDoc> {
  const row = await db.systemSetting.findUnique({ where: { key: SIM_CONTROLS_KEY } });
  const v = (row?.value ?? {}) as Partial<SimControlsDoc>;
  return { demand: v.demand ?? [], stress: v.stress ?? [] };
}

export async function getSimStatus(db: Db, now = new Date()) {
  const kind = await activeKind(db);
  return { available: kind === 'sim', adapterKind: kind, controls: live(await readDoc(db), now) };
}

async function update(db: Db, actor: Actor, change: (doc: SimControlsDoc) => SimControlsDoc, audit: { action: string; targetId: string; targetName: string; after: unknown }) {
  return runCommand(db, actor, async (ctx) => {
    if ((await activeKind(ctx.tx)) !== 'sim') {
      throw new AppError('PRECONDITION_FAILED', 'The simulator controls exist only while the simulator is the active platform adapter (Settings → Platform adapters).');
    }
    // Serialise concurrent edits of the one settings row.
    await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sim.controls'))`;
    const doc = change(live(await readDoc(ctx.tx), new Date()));
    await ctx.tx.systemSetting.upsert({
      where: { key: SIM_CONTROLS_KEY },
      create: { key: SIM_CONTROLS_KEY, value: doc },
      update: { value: doc, version: { increment: 1 } },
    });
    await ctx.audit({ ...audit, targetType: 'simulator' });
    return doc;
  });
}

export async function setDemand(db: Db, actor: Actor, input: z.infer<typeof setDemandInput>) {
  const service = await db.service.findUnique({ where: { id: input.serviceId }, select: { name: true } });
  if (!service) throw notFound('The service');
  const until = new Date(Date.now() + input.durationS * 1000).toISOString();
  return update(db, actor, (d) => ({ ...d, demand: [...d.demand.filter((x) => x.serviceId !== input.serviceId), { serviceId: input.serviceId, factor: input.factor, until }] }), {
    action: 'sim.demand',
    targetId: input.serviceId,
    targetName: service.name,
    after: { factor: input.factor, until },
  });
}

export async function stressInstance(db: Db, actor: Actor, input: z.infer<typeof stressInstanceInput>) {
  const instance = await db.instance.findUnique({ where: input.instanceId ? { id: input.instanceId } : { name: input.instanceName! }, select: { id: true, name: true } });
  if (!instance) throw notFound('The instance');
  const until = new Date(Date.now() + input.durationS * 1000).toISOString();
  return update(db, actor, (d) => ({ ...d, stress: [...d.stress.filter((x) => x.instanceId !== instance.id), { instanceId: instance.id, cpuPct: input.cpuPct, until }] }), {
    action: 'sim.stress',
    targetId: instance.id,
    targetName: instance.name,
    after: { cpuPct: input.cpuPct, until },
  });
}

export async function clearSimControls(db: Db, actor: Actor) {
  return update(db, actor, () => ({ demand: [], stress: [] }), { action: 'sim.clear', targetId: 'sim', targetName: 'simulator', after: { demand: [], stress: [] } });
}
