// The simulator's control API (set a service's demand, stress an instance, say how an app version
// behaves), for demos and tests. Controls are stored settings the telemetry leader hands to the
// simulator before each tick; demand and stress carry an expiry, so a forgotten drill ends by
// itself; version behaviour is part of the simulated world and stays until reset. Refused unless
// the simulator is the active adapter: on a real platform these knobs do not exist.
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
  /** The simulator's versionBehaviourSchema (server/platform/sim/config.ts), one entry per version. */
  versions: SimVersionBehaviour[];
};

export type SimVersionBehaviour = { version: string; latencyFactor: number; errorPct: number; cpuFactor: number };

/** Defaults of a version nobody configured (the simulator's base behaviour). */
export const DEFAULT_VERSION_BEHAVIOUR = { latencyFactor: 1, errorPct: 0.05, cpuFactor: 1 } as const;

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

// The bounds of the simulator's own schema, said for a form.
export const setVersionBehaviourInput = z.object({
  version: name(64),
  latencyFactor: z.number({ error: 'Enter a latency factor' }).min(0.1, 'At least 0.1×').max(20, 'At most 20×'),
  errorPct: z.number({ error: 'Enter an error percentage' }).min(0, 'At least 0 %').max(100, 'At most 100 %'),
  cpuFactor: z.number({ error: 'Enter a CPU factor' }).min(0.1, 'At least 0.1×').max(10, 'At most 10×'),
});

export const resetVersionBehaviourInput = z.object({ version: name(64) });

async function activeKind(db: Db | Tx): Promise<string> {
  const a = await db.adapterConfig.findFirst({ where: { active: true }, orderBy: { updatedAt: 'desc' }, select: { kind: true } });
  return a?.kind ?? 'sim';
}

function live(doc: SimControlsDoc, now: Date): SimControlsDoc {
  const t = now.getTime();
  return { demand: doc.demand.filter((d) => Date.parse(d.until) > t), stress: doc.stress.filter((s) => Date.parse(s.until) > t), versions: doc.versions };
}

async function readDoc(db: Db | Tx): Promise<SimControlsDoc> {
  const row = await db.systemSetting.findUnique({ where: { key: SIM_CONTROLS_KEY } });
  const v = (row?.value ?? {}) as Partial<SimControlsDoc>;
  return { demand: v.demand ?? [], stress: v.stress ?? [], versions: v.versions ?? [] };
}

export async function getSimStatus(db: Db, now = new Date()) {
  const kind = await activeKind(db);
  return { available: kind === 'sim', adapterKind: kind, controls: live(await readDoc(db), now) };
}

type AuditInfo = { action: string; targetId: string; targetName: string; before?: unknown; after: unknown };

/** `audit` may be computed from the document as it was before the change (for `before`). */
async function update(db: Db, actor: Actor, change: (doc: SimControlsDoc) => SimControlsDoc, audit: AuditInfo | ((prev: SimControlsDoc) => AuditInfo)) {
  return runCommand(db, actor, async (ctx) => {
    if ((await activeKind(ctx.tx)) !== 'sim') {
      throw new AppError('PRECONDITION_FAILED', 'The simulator controls exist only while the simulator is the active platform adapter (Settings → Platform adapters).');
    }
    // Serialise concurrent edits of the one settings row.
    await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sim.controls'))`;
    const prev = live(await readDoc(ctx.tx), new Date());
    const doc = change(prev);
    await ctx.tx.systemSetting.upsert({
      where: { key: SIM_CONTROLS_KEY },
      create: { key: SIM_CONTROLS_KEY, value: doc },
      update: { value: doc, version: { increment: 1 } },
    });
    await ctx.audit({ ...(typeof audit === 'function' ? audit(prev) : audit), targetType: 'simulator' });
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

/** Ends every demand and stress drill; the versions' behaviour (the simulated world) stays. */
export async function clearSimControls(db: Db, actor: Actor) {
  return update(db, actor, (d) => ({ demand: [], stress: [], versions: d.versions }), { action: 'sim.clear', targetId: 'sim', targetName: 'simulator', after: { demand: [], stress: [] } });
}

/** How an app version behaves in the simulator from the next tick on (a good canary or a bad one). */
export async function setVersionBehaviour(db: Db, actor: Actor, input: z.infer<typeof setVersionBehaviourInput>) {
  const entry: SimVersionBehaviour = { version: input.version, latencyFactor: input.latencyFactor, errorPct: input.errorPct, cpuFactor: input.cpuFactor };
  const byVersion = (a: SimVersionBehaviour, b: SimVersionBehaviour) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0);
  return update(db, actor, (d) => ({ ...d, versions: [...d.versions.filter((v) => v.version !== input.version), entry].sort(byVersion) }), (prev) => ({
    action: 'sim.version',
    targetId: input.version,
    targetName: `version ${input.version}`,
    before: prev.versions.find((v) => v.version === input.version) ?? { version: input.version, ...DEFAULT_VERSION_BEHAVIOUR },
    after: entry,
  }));
}

/** Back to the defaults (×1 latency, 0.05 % errors, ×1 CPU) for one version. */
export async function resetVersionBehaviour(db: Db, actor: Actor, input: z.infer<typeof resetVersionBehaviourInput>) {
  return update(db, actor, (d) => ({ ...d, versions: d.versions.filter((v) => v.version !== input.version) }), (prev) => ({
    action: 'sim.version.reset',
    targetId: input.version,
    targetName: `version ${input.version}`,
    before: prev.versions.find((v) => v.version === input.version) ?? null,
    after: { version: input.version, ...DEFAULT_VERSION_BEHAVIOUR },
  }));
}
