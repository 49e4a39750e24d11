// Which platform the worker drives: stored AdapterConfig rows (simulator, HAProxy + Prometheus),
// edited and activated from Settings or selected at start-up with SWITCHBACK_PLATFORM, and the
// registry import that brings a real platform's instances into the topology.
import { z } from 'zod';
import type { Db } from '../../db/client';
import type { Prisma } from '../../db/generated/client';
import { AppError, notFound } from '../../errors';
import { createAdapter } from './active-adapter';
import type { PlatformTopology } from '../../platform/adapter';
import { createPrometheusSource } from '../../platform/prometheus';
import { runCommand, type Actor, type CommandContext } from '../command';
import { compareAndSet, type CasSpec } from '../compare-and-set';
import { jsonObject, text, uuid, version } from '../../domain/inputs';

export { ADAPTER_KINDS } from '../../platform/registry';
import { ADAPTER_KINDS } from '../../platform/registry';

const name = text(60, { min: 1, required: 'Enter a name' }).regex(/^[\w .-]+$/, 'Letters, digits, spaces, dots, dashes and underscores only');

export const saveAdapterInput = z.object({
  /** Absent = a new configuration. */
  id: uuid().optional(),
  /** The version the editor started from (required when id is given). */
  version: version().optional(),
  name,
  kind: z.enum(ADAPTER_KINDS, { error: `Choose one of: ${ADAPTER_KINDS.join(', ')}` }),
  config: jsonObject('The configuration'),
});

export const activateAdapterInput = z.object({ id: uuid(), version: version() });
export const testAdapterInput = z.object({ kind: z.enum(ADAPTER_KINDS), config: jsonObject('The configuration') });
export const importTopologyInput = z.object({ id: uuid() });

// A plain JSON copy: what Prisma stores, and no prototype or undefined slipping through.
const toJson = (v: Record<string, unknown>) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonObject;

/** Compare-and-set on one adapter row; a lost race shows its current name, kind and configuration. */
function adapterCas(ctx: CommandContext, id: string, name: string, expected: number): Omit<CasSpec, 'write'> {
  return {
    row: { type: 'adapter', id, label: `Adapter "${name}"` },
    expected,
    versionActions: ['adapter.create', 'adapter.update', 'adapter.activate'],
    current: async () => {
      const now = await ctx.tx.adapterConfig.findUnique({ where: { id } });
      return now && { version: now.version, values: { name: now.name, kind: now.kind, config: now.config, active: now.active } };
    },
  };
}

/** Builds the adapter once to validate its configuration; the adapter's own words on failure. */
function validate(kind: string, config: unknown): void {
  try {
    const a = createAdapter({ id: null, name: 'validation', kind, config });
    void a.close();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new AppError('BAD_REQUEST', `The ${kind} configuration is not valid: ${msg}`, { config: [msg] });
  }
}

export async function saveAdapterConfig(db: Db, actor: Actor, input: z.input<typeof saveAdapterInput>) {
  const data = saveAdapterInput.parse(input);
  validate(data.kind, data.config);
  return runCommand(db, actor, async (ctx) => {
    const clash = await ctx.tx.adapterConfig.findUnique({ where: { name: data.name }, select: { id: true } });
    if (clash && clash.id !== data.id) throw new AppError('CONFLICT', `An adapter named "${data.name}" already exists.`, { name: ['This name is taken'] });
    if (!data.id) {
      const row = await ctx.tx.adapterConfig.create({ data: { name: data.name, kind: data.kind, config: toJson(data.config) } });
      await ctx.audit({ action: 'adapter.create', targetType: 'adapter', targetId: row.id, targetName: row.name, after: { kind: row.kind, config: row.config } });
      return row;
    }
    const before = await ctx.tx.adapterConfig.findUnique({ where: { id: data.id } });
    if (!before) throw notFound('That adapter configuration');
    if (data.version === undefined) throw new AppError('BAD_REQUEST', 'The version you edited is missing.', { version: ['Required when editing'] });
    await compareAndSet(ctx.tx, {
      ...adapterCas(ctx, data.id, before.name, data.version),
      write: () => ctx.tx.adapterConfig.updateMany({ where: { id: data.id, version: data.version }, data: { name: data.name, kind: data.kind, config: toJson(data.config), version: { increment: 1 } } }),
    });
    const after = await ctx.tx.adapterConfig.findUniqueOrThrow({ where: { id: data.id } });
    await ctx.audit({ action: 'adapter.update', targetType: 'adapter', targetId: after.id, targetName: after.name, before: { kind: before.kind, config: before.config }, after: { kind: after.kind, config: after.config } });
    return after;
  }, { input: data });
}

/** Makes one configuration the platform the worker drives; the leader reopens within a tick. */
export async function activateAdapterConfig(db: Db, actor: Actor, input: z.input<typeof activateAdapterInput>) {
  const data = activateAdapterInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    // Two activations at once would each deactivate only the rows they saw active: take turns.
    await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('adapter.activate'))`;
    const row = await ctx.tx.adapterConfig.findUnique({ where: { id: data.id } });
    if (!row) throw notFound('That adapter configuration');
    const previous = await ctx.tx.adapterConfig.findFirst({ where: { active: true }, select: { name: true } });
    // The version moves too, so the leader's adapter key changes even when re-activating.
    await compareAndSet(ctx.tx, {
      ...adapterCas(ctx, row.id, row.name, data.version),
      write: () => ctx.tx.adapterConfig.updateMany({ where: { id: row.id, version: data.version }, data: { active: true, version: { increment: 1 } } }),
    });
    await ctx.tx.adapterConfig.updateMany({ where: { active: true, id: { not: row.id } }, data: { active: false } });
    const after = await ctx.tx.adapterConfig.findUniqueOrThrow({ where: { id: row.id } });
    await ctx.audit({ action: 'adapter.activate', targetType: 'adapter', targetId: row.id, targetName: row.name, before: { active: previous?.name ?? null }, after: { active: row.name } });
    return after;
  });
}

export interface AdapterTestResult {
  ok: boolean;
  /** One sentence: what was found, or what went wrong, in the platform's words. */
  message: string;
  instances: PlatformTopology['instances'];
}

/** Connects with a configuration (saved or not) and reports what the platform shows. */
export async function testAdapterConfig(input: z.input<typeof testAdapterInput>): Promise<AdapterTestResult> {
  const data = testAdapterInput.parse(input);
  validate(data.kind, data.config);
  const adapter = createAdapter({ id: null, name: 'test', kind: data.kind, config: data.config });
  try {
    const topo = await adapter.describe();
    const services = new Set(topo.instances.map((i) => i.service));
    const up = topo.instances.filter((i) => i.up).length;
    let message = `Found ${topo.instances.length} instance${topo.instances.length === 1 ? '' : 's'} of ${services.size} service${services.size === 1 ? '' : 's'}, ${up} up.`;
    const metrics = (data.config as { metrics?: unknown }).metrics;
    let ok = true;
    if (metrics) {
      const check = await createPrometheusSource(metrics).check();
      ok = check.ok;
      message += ` ${check.message}.`;
    }
    return { ok, message, instances: topo.instances };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err), instances: [] };
  } finally {
    await adapter.close().catch(() => undefined);
  }
}

/**
 * Brings what a platform shows into the registry: regions, zones, clusters, services and
 * instances it names are created or updated (address, version); nothing is deleted, so the
 * simulator's fleet and a real platform's can sit side by side.
 */
export async function importPlatformTopology(db: Db, actor: Actor, input: z.input<typeof importTopologyInput>) {
  const { id } = importTopologyInput.parse(input);
  const row = await db.adapterConfig.findUnique({ where: { id } });
  if (!row) throw notFound('That adapter configuration');
  const adapter = createAdapter({ id: row.id, name: row.name, kind: row.kind, config: row.config });
  let topo: PlatformTopology;
  try {
    topo = await adapter.describe();
  } catch (err) {
    throw new AppError('PRECONDITION_FAILED', `Could not read the topology of "${row.name}": ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await adapter.close().catch(() => undefined);
  }
  return importTopology(db, actor, row.name, topo);
}

/**
 * A new service's routing: 100 % to the version with the most instances (ties: the lowest version
 * name, numbers compared as numbers), 0 % to the others. A canary that is already deployed gets
 * traffic only through a rollout, never by being imported (an equal split sent half of it to v2).
 */
export function importedWeights(versions: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of versions) counts.set(v, (counts.get(v) ?? 0) + 1);
  const names = [...counts.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const main = names.reduce((best, v) => (counts.get(v)! > counts.get(best)! ? v : best), names[0]!);
  return Object.fromEntries(names.map((v) => [v, v === main ? 100 : 0]));
}

/**
 * An import writes a few rows per instance, one statement at a time: long by nature for a large
 * platform (and past Prisma's default 5 s on a busy database even for a small lab), so it gets
 * the reconcilers' bound instead of a person's command's.
 */
const IMPORT_TX_TIMEOUT_MS = 60_000;

export async function importTopology(db: Db, actor: Actor, source: string, topo: PlatformTopology) {
  return runCommand(db, actor, async (ctx) => {
    const created = { services: 0, instances: 0, updated: 0 };
    for (const i of topo.instances) {
      const regionName = i.region ?? source;
      const zoneName = i.zone ?? `${regionName}-a`;
      const clusterName = i.cluster ?? `${zoneName}-1`;
      const region = await ctx.tx.region.upsert({ where: { name: regionName }, create: { name: regionName }, update: {} });
      const zone = await ctx.tx.zone.upsert({ where: { name: zoneName }, create: { name: zoneName, regionId: region.id }, update: {} });
      const cluster = await ctx.tx.cluster.upsert({ where: { name: clusterName }, create: { name: clusterName, zoneId: zone.id }, update: {} });
      let service = await ctx.tx.service.findUnique({ where: { name: i.service } });
      if (!service) {
        const versionWeights = importedWeights(topo.instances.filter((o) => o.service === i.service).map((o) => o.version ?? 'v1'));
        service = await ctx.tx.service.create({ data: { name: i.service, description: `Imported from ${source}`, routing: { versionWeights, headerRules: [] } } });
        created.services++;
      }
      const existing = await ctx.tx.instance.findUnique({ where: { name: i.name } });
      if (!existing) {
        await ctx.tx.instance.create({ data: { name: i.name, serviceId: service.id, clusterId: cluster.id, appVersion: i.version ?? 'v1', address: i.address } });
        created.instances++;
      } else if (existing.address !== i.address || existing.appVersion !== (i.version ?? existing.appVersion)) {
        await ctx.tx.instance.update({ where: { id: existing.id }, data: { address: i.address, appVersion: i.version ?? existing.appVersion, version: { increment: 1 } } });
        created.updated++;
      }
    }
    await ctx.audit({ action: 'topology.import', targetType: 'adapter', targetId: source, targetName: source, after: created });
    await ctx.emit('topology.changed', { source, ...created });
    return created;
  }, { timeoutMs: IMPORT_TX_TIMEOUT_MS });
}
