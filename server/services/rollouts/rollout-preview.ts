// Preview before start and "start from the last rollout of this service". The preview feeds the
// domain's previewRollout (the traffic split the live loop uses) with today's fleet: the effective
// weights and guard inputs of the latest tick, the strategy policy, and adds what the active
// platform cannot do (capability refusals).
import type { z } from 'zod';
import type { Db } from '../../db/client';
import type { StrategyPolicy } from '../../domain/model';
import { withDefaults } from '../../domain/policy-schemas';
import { previewRollout, type RolloutPreview } from '../../domain/rollouts/preview';
import { exampleSpec, rolloutSpecSchema, type RolloutSpec } from '../../domain/rollouts/spec';
import { notFound } from '../../errors';
import { guardInstances, serviceInstancesNow } from './guard-inputs';
import { specProblems } from './rollout-checks';
import type { previewInput, templateInput } from './rollout-inputs';

/** Base weight of an instance that has no sample yet (the loop starts every instance there). */
const BASE_WEIGHT = 100;

export async function previewRolloutSpec(db: Db, input: z.output<typeof previewInput>): Promise<RolloutPreview> {
  const { spec } = input;
  const { service, problems } = await specProblems(db, spec);
  if (!service) return { problems, steps: [], capacity: null };
  const [rows, strategyRow] = await Promise.all([
    serviceInstancesNow(db, service.id),
    db.policy.findFirst({ where: { kind: 'strategy', scope: 'global' }, select: { document: true } }),
  ]);
  const strategy = withDefaults('strategy', strategyRow?.document) as unknown as StrategyPolicy;
  const preview = previewRollout(
    spec,
    { instances: rows.map((r) => ({ id: r.id, name: r.name, zone: r.zone, appVersion: r.appVersion, weight: r.effectiveWeight ?? BASE_WEIGHT, rps: r.rps, cpu: r.cpu })), strategies: strategy.order },
    { instances: guardInstances(rows) },
  );
  // The fleet problems (no instance of a version) are in both lists: keep each message once.
  const all = [...problems, ...preview.problems];
  const seen = new Set<string>();
  return { ...preview, problems: all.filter((p) => (seen.has(`${p.path}|${p.message}`) ? false : (seen.add(`${p.path}|${p.message}`), true))) };
}

export type TemplateSource = 'last-rollout' | 'template' | 'example';

/** The last rollout of the service, else its stored template, else the example with its versions. */
export async function rolloutTemplate(db: Db, input: z.output<typeof templateInput>): Promise<{ spec: RolloutSpec; source: TemplateSource }> {
  const service = await db.service.findUnique({ where: { name: input.service }, select: { id: true, name: true } });
  if (!service) throw notFound(`The service "${input.service}"`);
  const last = await db.rollout.findFirst({ where: { serviceId: service.id }, orderBy: { createdAt: 'desc' }, select: { spec: true } });
  const fromLast = last && rolloutSpecSchema.safeParse(last.spec);
  if (fromLast?.success) return { spec: { ...fromLast.data, service: service.name }, source: 'last-rollout' };
  const template = await db.rolloutTemplate.findUnique({ where: { serviceId: service.id }, select: { spec: true } });
  const fromTemplate = template && rolloutSpecSchema.safeParse(template.spec);
  if (fromTemplate?.success) return { spec: { ...fromTemplate.data, service: service.name }, source: 'template' };
  const versions = (await db.instance.groupBy({ by: ['appVersion'], where: { serviceId: service.id }, _count: { _all: true } })).map((v) => v.appVersion).sort();
  const stable = versions[0] ?? 'v1';
  const canary = versions.find((v) => v !== stable) ?? (stable === 'v2' ? 'v3' : 'v2');
  return { spec: exampleSpec(service.name, stable, canary), source: 'example' };
}
