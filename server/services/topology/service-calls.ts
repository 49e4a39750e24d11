// The declared call graph's one command: which services a service calls (replaces its list).
// The graph must stay acyclic, so concurrent edits are serialised by a transaction lock and the
// whole graph is checked with the simulator's own cycle finder before anything is written.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { uuid } from '../../domain/inputs';
import { AppError, notFound } from '../../errors';
import { findCycle } from '../../platform/sim/calls';
import { runCommand, type Actor } from '../command';

/** More callees than this is a mistake, not a service (the graph is drawn for people). */
export const MAX_CALLEES = 50;

export const setCallsInput = z.object({
  serviceId: uuid(),
  callees: z.array(uuid()).max(MAX_CALLEES),
});

export async function setServiceCalls(db: Db, actor: Actor, input: z.input<typeof setCallsInput>): Promise<{ service: string; callees: string[] }> {
  const data = setCallsInput.parse(input);
  const callees = [...new Set(data.callees)];
  return runCommand(db, actor, async (ctx) => {
    const { tx } = ctx;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('switchback-service-calls'))`;
    const services = await tx.service.findMany({ select: { id: true, name: true } });
    const nameOf = new Map(services.map((s) => [s.id, s.name]));
    const name = nameOf.get(data.serviceId);
    if (!name) throw notFound('That service');
    const unknown = callees.filter((id) => !nameOf.has(id));
    if (unknown.length) throw new AppError('BAD_REQUEST', `${unknown.length === 1 ? 'A service it calls does' : `${unknown.length} services it calls do`} not exist (deleted?).`, { callees: ['Unknown service'] });
    if (callees.includes(data.serviceId)) throw new AppError('BAD_REQUEST', `${name} cannot call itself.`, { callees: ['A service cannot call itself'] });

    const existing = await tx.serviceCall.findMany({ select: { callerId: true, calleeId: true } });
    const graph: Record<string, string[]> = {};
    for (const c of existing) if (c.callerId !== data.serviceId) (graph[nameOf.get(c.callerId)!] ??= []).push(nameOf.get(c.calleeId)!);
    graph[name] = callees.map((id) => nameOf.get(id)!);
    const cycle = findCycle(graph);
    if (cycle) throw new AppError('BAD_REQUEST', `These calls would make a cycle: ${cycle}. A call graph must not loop.`, { callees: [`Cycle: ${cycle}`] });

    const before = existing
      .filter((c) => c.callerId === data.serviceId)
      .map((c) => nameOf.get(c.calleeId)!)
      .sort();
    await tx.serviceCall.deleteMany({ where: { callerId: data.serviceId } });
    if (callees.length) await tx.serviceCall.createMany({ data: callees.map((calleeId) => ({ callerId: data.serviceId, calleeId })) });
    const after = [...graph[name]].sort();
    await ctx.audit({ action: 'service.calls', targetType: 'service', targetId: data.serviceId, targetName: name, before: { calls: before }, after: { calls: after } });
    return { service: name, callees: after };
  });
}
