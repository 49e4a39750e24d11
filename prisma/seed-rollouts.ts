// The demo's rollout history: a rollout template per service (the example canary with that
// service's versions) and one finished rollout — payment-svc v0 → v1 two days ago, with its step
// runs, its approval and decision, its analyses and its timeline — so the Rollouts pages, the
// timeline and the Machines page have something true to show on first start. Rows only (no
// reconciler, no telemetry): the analysis results are computed from seeded ticks by the real
// analysis code, once, in a few milliseconds.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../server/db/client';
import type { Prisma } from '../server/db/generated/client';
import { analyse } from '../server/domain/rollouts/analysis/analyse';
import { simulateTicks } from '../server/domain/rollouts/analysis/simulate';
import { promotedRouting, routingAt, stepSummary } from '../server/domain/rollouts/plan';
import { exampleSpec, type RolloutSpec } from '../server/domain/rollouts/spec';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

export async function seedRolloutTemplates(tx: Tx): Promise<void> {
  const services = await tx.service.findMany({ include: { instances: { select: { appVersion: true } } } });
  for (const s of services) {
    const versions = [...new Set(s.instances.map((i) => i.appVersion))].sort();
    const stable = versions[0] ?? 'v1';
    // The canary is the version beside stable, or the next one to ship.
    const canary = versions.find((v) => v !== stable) ?? `v${Number(stable.replace(/\D/g, '') || '1') + 1}`;
    await tx.rolloutTemplate.create({ data: { serviceId: s.id, spec: json(exampleSpec(s.name, stable, canary)) } });
  }
}

interface Clock {
  at: Date;
  advance(seconds: number): Date;
}

function clock(start: number): Clock {
  const c: Clock = {
    at: new Date(start),
    advance(seconds) {
      c.at = new Date(c.at.getTime() + seconds * 1000);
      return c.at;
    },
  };
  return c;
}

/** One succeeded rollout of payment-svc (v0 → v1), as the reconciler would have recorded it. */
export async function seedFinishedRollout(tx: Tx, now = Date.now()): Promise<void> {
  const service = await tx.service.findUnique({ where: { name: 'payment-svc' } });
  if (!service) return;
  const spec: RolloutSpec = { ...exampleSpec(service.name, 'v0', 'v1'), name: 'payment-svc v1 (3-D Secure 2)' };
  const c = clock(now - 2 * 86_400_000);
  const startedAt = c.at;
  const author = { id: randomUUID(), name: 'alice' };
  const approver = { id: randomUUID(), name: 'bob' };
  const r = await tx.rollout.create({
    data: {
      serviceId: service.id,
      name: spec.name,
      stableVersion: spec.stableVersion,
      canaryVersion: spec.canaryVersion,
      spec: json(spec),
      state: 'succeeded',
      stateDetail: `Succeeded: 100 % ${spec.canaryVersion} applied by the platform`,
      currentStep: spec.steps.length,
      desiredRouting: json(promotedRouting(spec)),
      createdById: author.id,
      createdByName: author.name,
      startedById: author.id,
      startedByName: author.name,
      version: 2 * spec.steps.length + 4,
      createdAt: new Date(startedAt.getTime() - 600_000),
      startedAt,
    },
  });
  const events: Prisma.RolloutEventCreateManyInput[] = [];
  const event = (kind: string, summary: string, e: Partial<Prisma.RolloutEventCreateManyInput> = {}) =>
    events.push({ at: c.at, rolloutId: r.id, serviceId: service.id, attempt: 1, kind, summary, actorName: 'worker', ...e });
  event('state', `Started by ${author.name}: ${spec.stableVersion} → ${spec.canaryVersion} in ${spec.steps.length} steps`, { fromState: 'pending', toState: 'progressing', actorName: author.name, stepIndex: 0 });

  // Seeded ticks of a healthy canary: the analyses pass on the evidence the real code weighs.
  let firstTraffic: Date | null = null;
  let routingVersion = 1;
  for (const [index, step] of spec.steps.entries()) {
    const started = c.at;
    const run: Prisma.RolloutStepRunCreateManyInput = { rolloutId: r.id, attempt: 1, stepIndex: index, kind: step.kind, state: 'done', startedAt: started, outcome: '' };
    event('step', `Started step ${index + 1} of ${spec.steps.length} (${stepSummary(step, spec.canaryVersion)})`, { stepIndex: index });
    if (step.kind === 'setWeight' || step.kind === 'setHeaderRoute') {
      routingVersion++;
      run.routing = json(routingAt(spec, index));
      run.routingVersion = routingVersion;
      event('routing', `Routing for step ${index + 1} written as version ${routingVersion}`, { stepIndex: index, data: json({ routing: routingAt(spec, index), serviceVersion: routingVersion }) });
      run.appliedAt = c.advance(2);
      firstTraffic ??= run.appliedAt;
      run.outcome = `the platform applied routing version ${routingVersion}`;
    } else if (step.kind === 'pause') {
      c.advance(step.seconds ?? 60);
      run.outcome = 'the pause ended';
    } else if (step.kind === 'approval') {
      const request = await tx.approvalRequest.create({
        data: { rolloutId: r.id, attempt: 1, stepIndex: index, quorum: step.quorum, onExpiry: step.onExpiry, createdAt: c.at, expiresAt: new Date(c.at.getTime() + step.expiresInS * 1000), state: 'approved', closedAt: c.advance(240) },
      });
      await tx.approvalDecision.create({ data: { requestId: request.id, approverId: approver.id, approverName: approver.name, decision: 'approve', reason: 'Error rate and p95 within margin at 5 %; go to 20 %', at: c.at } });
      event('decision', `${approver.name} approved step ${index + 1}: Error rate and p95 within margin at 5 %; go to 20 %`, { stepIndex: index, actorName: approver.name });
      event('approval', `Approval reached its quorum of ${step.quorum}: ${approver.name}`, { stepIndex: index, actorName: approver.name });
      run.outcome = `approved by ${approver.name}`;
    } else {
      const ends = new Date(started.getTime() + step.seconds * 1000);
      const ticks = simulateTicks({ seed: 11, ticks: step.seconds, startAt: started.getTime(), requestsPerTick: 4000, canaryShare: 0.1, errorRate: 0.004, p95Ms: 180 });
      const result = analyse({ metrics: step.metrics, alpha: spec.alpha, startedAt: started.getTime(), endsAt: ends.getTime(), now: ends.getTime(), ticks });
      c.advance(step.seconds);
      await tx.analysisRun.create({ data: { rolloutId: r.id, attempt: 1, stepIndex: index, kind: 'step', verdict: result.verdict, startedAt: started, endsAt: ends, decidedAt: c.at, config: json({ metrics: step.metrics, alpha: spec.alpha }), result: json(result) } });
      event('analysis', `Analysis ${result.verdict === 'pass' ? 'passed' : result.verdict}: ${result.summary}`, { stepIndex: index });
      run.outcome = `the analysis ${result.verdict === 'pass' ? 'passed' : `was ${result.verdict}, accepted by ${author.name}`}`;
    }
    run.finishedAt = c.at;
    await tx.rolloutStepRun.create({ data: run });
    event('step', `Finished step ${index + 1} of ${spec.steps.length}: ${run.outcome}`, { stepIndex: index });
    event('state', `Done with step ${index + 1}: ${run.outcome}`, { fromState: 'progressing', toState: 'progressing', stepIndex: index + 1 });
  }
  event('state', `Every step done: promoting to 100 % ${spec.canaryVersion}`, { fromState: 'progressing', toState: 'promoting', stepIndex: spec.steps.length });
  routingVersion++;
  await tx.rolloutStepRun.create({ data: { rolloutId: r.id, attempt: 1, stepIndex: spec.steps.length, kind: 'promote', state: 'done', startedAt: c.at, routing: json(promotedRouting(spec)), routingVersion, appliedAt: c.advance(2), finishedAt: c.at, outcome: `the platform applied 100 % ${spec.canaryVersion}` } });
  event('routing', `Routing to 100 % ${spec.canaryVersion}, header rules removed`, { stepIndex: spec.steps.length, data: json({ routing: promotedRouting(spec), serviceVersion: routingVersion }) });
  event('state', `Succeeded: 100 % ${spec.canaryVersion} applied by the platform (routing version ${routingVersion})`, { fromState: 'promoting', toState: 'succeeded', stepIndex: spec.steps.length });
  if (spec.backgroundAnalysis && firstTraffic) {
    const ticks = simulateTicks({ seed: 12, ticks: Math.round((c.at.getTime() - firstTraffic.getTime()) / 1000), startAt: firstTraffic.getTime(), requestsPerTick: 4000, canaryShare: 0.1, errorRate: 0.004, p95Ms: 180 });
    const result = analyse({ metrics: spec.backgroundAnalysis.metrics, alpha: spec.alpha, startedAt: firstTraffic.getTime(), endsAt: null, now: c.at.getTime(), ticks });
    await tx.analysisRun.create({ data: { rolloutId: r.id, attempt: 1, stepIndex: -1, kind: 'background', verdict: result.verdict === 'running' ? 'pass' : result.verdict, startedAt: firstTraffic, decidedAt: c.at, config: json({ metrics: spec.backgroundAnalysis.metrics, alpha: spec.alpha }), result: json(result) } });
  }
  await tx.rolloutEvent.createMany({ data: events });
  await tx.rollout.update({ where: { id: r.id }, data: { routingVersion, finishedAt: c.at, updatedAt: c.at } });
}
