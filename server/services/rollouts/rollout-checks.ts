// What must hold before a rollout may be saved or started, in words: its service exists, both of
// its versions run somewhere, the active platform can do every step (capability refusals), and no
// other rollout owns the service's routing.
import type { DbOrTx, Tx } from '../../db/client';
import type { PlatformCapabilities } from '../../platform/adapter';
import { capabilityRefusals, type CapabilityRefusal, type RolloutCapabilities } from '../../domain/rollouts/refusals';
import { ACTIVE_STATES, STATE_LABELS } from '../../domain/rollouts/machine';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { AppError } from '../../errors';
import { createAdapter } from '../platform/active-adapter';

const ACTIVE = [...ACTIVE_STATES];

/** The active adapter's name and capabilities (the simulator's defaults when none is active). */
export async function activeCapabilities(db: DbOrTx): Promise<RolloutCapabilities> {
  const row = await db.adapterConfig.findFirst({ where: { active: true }, orderBy: { updatedAt: 'desc' } });
  const spec = row ? { id: row.id, name: row.name, kind: row.kind, config: row.config } : { id: null, name: 'simulator (defaults)', kind: 'sim', config: {} };
  let caps: PlatformCapabilities;
  try {
    // Building an adapter only parses its configuration; nothing connects.
    const adapter = createAdapter(spec);
    caps = adapter.capabilities();
    await adapter.close().catch(() => undefined);
  } catch (err) {
    throw new AppError('PRECONDITION_FAILED', `The active platform adapter "${spec.name}" cannot be used: ${err instanceof Error ? err.message : String(err)}`);
  }
  const adapter = spec.kind === 'sim' ? 'simulator' : `${spec.kind} ("${spec.name}")`;
  return { adapter, routing: caps.routing, headerMatches: caps.headerMatches, routingHeaders: caps.routingHeaders, latencyHistogram: caps.latencyHistogram };
}

export interface SpecProblems {
  service: { id: string; name: string } | null;
  problems: CapabilityRefusal[];
}

/** Everything wrong with running `spec` on today's fleet and platform; [] when it can run. */
export async function specProblems(db: DbOrTx, spec: RolloutSpec): Promise<SpecProblems> {
  const service = await db.service.findUnique({ where: { name: spec.service }, select: { id: true, name: true } });
  if (!service) return { service: null, problems: [{ path: 'service', message: `There is no service named "${spec.service}"` }] };
  const problems: CapabilityRefusal[] = [];
  const versions = await db.instance.groupBy({ by: ['appVersion'], where: { serviceId: service.id }, _count: { _all: true } });
  const has = new Set(versions.map((v) => v.appVersion));
  const known = [...has].sort().join(', ') || 'none';
  if (!has.has(spec.stableVersion)) problems.push({ path: 'stableVersion', message: `No instance of ${service.name} runs ${spec.stableVersion} (it runs: ${known})` });
  if (!has.has(spec.canaryVersion)) problems.push({ path: 'canaryVersion', message: `No instance of ${service.name} runs ${spec.canaryVersion} (it runs: ${known})` });
  problems.push(...capabilityRefusals(spec, await activeCapabilities(db)));
  return { service, problems };
}

/** The refusal of a save or a start when the spec cannot run, naming every problem. */
export function problemsError(action: string, problems: CapabilityRefusal[]): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const p of problems) (fieldErrors[p.path] ??= []).push(p.message);
  return new AppError('PRECONDITION_FAILED', `The rollout cannot be ${action}: ${problems.map((p) => p.message).join('; ')}.`, fieldErrors, { problems });
}

export async function requireRunnable(db: DbOrTx, spec: RolloutSpec, action: string): Promise<{ id: string; name: string }> {
  const { service, problems } = await specProblems(db, spec);
  if (problems.length > 0 || !service) throw problemsError(action, problems);
  return service;
}

/** The rollout that owns a service's routing now, if any. */
export function activeRolloutOf(db: DbOrTx, serviceId: string) {
  return db.rollout.findFirst({ where: { serviceId, state: { in: ACTIVE } }, select: { id: true, name: true, state: true } });
}

/**
 * Refuses a start or retry while another rollout owns the service's routing (the database refuses
 * it too). The service's row lock first: two starts on one service take turns, so the second one
 * sees the first and is refused in these words, not by the unique index.
 */
export async function requireNoOtherActive(tx: Tx, serviceId: string, serviceName: string, selfId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Service" WHERE id = ${serviceId}::uuid FOR UPDATE`;
  const other = await activeRolloutOf(tx, serviceId);
  if (other && other.id !== selfId) {
    throw new AppError('CONFLICT', `Rollout "${other.name}" is ${STATE_LABELS[other.state].toLowerCase()} on ${serviceName}; one rollout at a time owns a service's routing. Finish or abort it first.`);
  }
}
