// State machines as the console shows them: the diagram with its policy-valued triggers, how often
// each edge fired in a range, the current state (one instance or the fleet), and the transitions
// behind an edge.
import { z } from 'zod';
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { MACHINES, machineDiagram, type MachineName } from '../../domain/machine-diagrams';
import type { FleetPolicies } from '../../domain/model';
import { STAGES } from '../../domain/model';
import { withDefaults } from '../../domain/policy-schemas';
import { LEVEL_NAMES } from '../../domain/degradation';
import { notFound } from '../../errors';
import { topologyScopeFields, topologyWhere, type TopologyScope } from '../topology/topology-scope';
import { epochMs, name, token, uuid } from '../../domain/inputs';
import { getRolloutMachineView, listRolloutEdgeTransitions } from './rollout-machine';
import { getExperimentMachineView, listExperimentEdgeTransitions } from './experiment-machine';

const scope = {
  machine: z.enum(MACHINES),
  from: epochMs(),
  to: epochMs(),
  instance: name().optional(),
  stage: z.enum(STAGES).optional(),
  /** The rollout machine only: count this rollout's transitions and light its state. */
  rollout: uuid().optional(),
  /** The chaos run machine only: count this run's transitions and light its state. */
  run: uuid().optional(),
  ...topologyScopeFields,
};
export const machineViewInput = z.object(scope);
export const edgeTransitionsInput = z.object({ ...scope, fromState: token(40), toState: token(40), limit: z.number().int().min(1).max(500).default(100) });

async function policiesFor(db: Db, serviceId: string | null): Promise<FleetPolicies> {
  const rows = await db.policy.findMany({ where: { kind: { in: ['weight', 'watermark', 'breaker'] } } });
  const doc = (k: 'weight' | 'watermark' | 'breaker') => withDefaults(k, (serviceId && rows.find((r) => r.kind === k && r.scope === `service:${serviceId}`)?.document) || rows.find((r) => r.kind === k && r.scope === 'global')?.document);
  return { weight: doc('weight'), watermark: doc('watermark'), breaker: doc('breaker') } as unknown as FleetPolicies;
}

export async function resolve(db: Db, q: { instance?: string; serviceId?: string }) {
  if (!q.instance) return { instance: null, serviceId: q.serviceId ?? null };
  const instance = await db.instance.findUnique({ where: { name: q.instance }, select: { id: true, name: true, serviceId: true } });
  if (!instance) throw notFound(`Instance ${q.instance}`);
  return { instance, serviceId: instance.serviceId };
}


function filters(q: TopologyScope & { machine: MachineName; stage?: string }, instanceId: string | null): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`t.machine::text = ${q.machine}`, ...topologyWhere(q, instanceId)];
  if (q.machine === 'stage' && q.stage) parts.push(Prisma.sql`t.stage = ${q.stage}`);
  // The access stage's breaker rows are the ingress isolation, a machine with triggers of its own.
  if (q.machine === 'breaker') parts.push(Prisma.sql`t.stage = ''`);
  return Prisma.join(parts, ' AND ');
}

export async function getMachineView(db: Db, input: z.input<typeof machineViewInput>) {
  const q = machineViewInput.parse(input);
  if (q.machine === 'rollout') return { ...(await getRolloutMachineView(db, q)), run: null };
  if (q.machine === 'experiment') return getExperimentMachineView(db, q);
  const { instance, serviceId } = await resolve(db, q);
  const diagram = machineDiagram(q.machine, await policiesFor(db, serviceId));
  const counts = await db.$queryRaw<Array<{ f: string; t: string; n: bigint }>>`
    SELECT t."fromState" AS f, t."toState" AS t, count(*) AS n
    FROM "StateTransition" t JOIN "Instance" i ON i.id = t."instanceId" JOIN "Cluster" c ON c.id = i."clusterId"
    WHERE t.at >= ${new Date(q.from)} AND t.at <= ${new Date(q.to)} AND ${filters(q, instance?.id ?? null)}
    GROUP BY 1, 2`;
  const fired = Object.fromEntries(counts.map((c) => [`${c.f}>${c.t}`, Number(c.n)]));
  // Now: the newest sample of each instance in scope (the loop writes one per tick).
  const where = topologyWhere(q, instance?.id ?? null);
  const latest = await db.$queryRaw<Array<{ degradation: number; breaker: string; stageState: string[] }>>`
    SELECT s.degradation, s.breaker, s."stageState"
    FROM "Instance" i JOIN "Cluster" c ON c.id = i."clusterId"
    JOIN LATERAL (SELECT degradation, breaker, "stageState" FROM "TelemetrySample" WHERE "instanceId" = i.id ORDER BY at DESC LIMIT 1) s ON TRUE
    WHERE ${Prisma.join(where, ' AND ')}`;
  const now: Record<string, number> = Object.fromEntries(diagram.states.map((s) => [s.id, 0]));
  for (const l of latest) {
    if (q.machine === 'degradation') now[LEVEL_NAMES[l.degradation] ?? 'L0'] = (now[LEVEL_NAMES[l.degradation] ?? 'L0'] ?? 0) + 1;
    else if (q.machine === 'breaker') now[l.breaker] = (now[l.breaker] ?? 0) + 1;
    else {
      const stages = q.stage ? [l.stageState[STAGES.indexOf(q.stage)]] : l.stageState;
      for (const s of stages) if (s) now[s] = (now[s] ?? 0) + 1;
    }
  }
  return {
    diagram,
    fired,
    now,
    instance: instance?.name ?? null,
    rollout: null,
    run: null,
    /** The state lit on the diagram: the instance's current state (one instance, one stage or instance-level). */
    current: instance && (q.machine !== 'stage' || q.stage) ? (Object.entries(now).find(([, n]) => n > 0)?.[0] ?? null) : null,
    counted: latest.length,
  };
}

export async function listEdgeTransitions(db: Db, input: z.input<typeof edgeTransitionsInput>) {
  const q = edgeTransitionsInput.parse(input);
  if (q.machine === 'rollout') return (await listRolloutEdgeTransitions(db, q)).map((r) => ({ ...r, runId: null as string | null }));
  if (q.machine === 'experiment') return listExperimentEdgeTransitions(db, q);
  const { instance } = await resolve(db, q);
  const rows = await db.$queryRaw<Array<{ id: bigint; at: Date; name: string; stage: string; cause: string; values: Record<string, number> }>>`
    SELECT t.id, t.at, i.name, t.stage, t.cause, t.values
    FROM "StateTransition" t JOIN "Instance" i ON i.id = t."instanceId" JOIN "Cluster" c ON c.id = i."clusterId"
    WHERE t.at >= ${new Date(q.from)} AND t.at <= ${new Date(q.to)} AND t."fromState" = ${q.fromState} AND t."toState" = ${q.toState} AND ${filters(q, instance?.id ?? null)}
    ORDER BY t.at DESC LIMIT ${q.limit}`;
  return rows.map((r) => ({ id: r.id.toString(), at: r.at.getTime(), instance: r.name, stage: r.stage, cause: r.cause, values: r.values, rolloutId: null as string | null, runId: null as string | null }));
}
