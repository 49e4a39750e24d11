// The reconciler's work on a progressing rollout: what the current step needs next. A routing step
// writes its routing once (recorded on the step run) and is done only when the platform reports it
// applied (Service.appliedVersion); a pause waits for its timer; an approval opens its request; an
// analysis looks at the evidence every tick.
import type { Tx } from '../../db/client';
import type { Rollout, Service } from '../../db/generated/client';
import { PROMOTE, raisesCanary, routingAt } from '../../domain/rollouts/plan';
import type { RolloutSpec } from '../../domain/rollouts/spec';
import { ensureAnalysisRun, lookAt } from './analysis-runs';
import { guardHoldsNow } from './guard-inputs';
import { abortWith, advanceFrom, holdByGuard, pauseWith, promoteNow, WORKER } from './reconcile-moves';
import { safetyHold } from './safety-holds';
import { recordEvent, toJson, writeRouting } from './rollout-state';
import { ensureStepRun, stepWords } from './step-runs';
import { approvalRequestedWebhook } from '../webhooks/event-hooks';

/** What one move left: the rollout now, whether to look again at once, and when to wake otherwise. */
export interface Move {
  rollout: Rollout;
  again: boolean;
  wake: Date | null;
}

const utc = (d: Date) => `${d.toISOString().slice(11, 19)} UTC`;

export async function progress(tx: Tx, r: Rollout, spec: RolloutSpec, service: Service, now: Date, tick: Date): Promise<Move> {
  const run = await ensureStepRun(tx, r, spec, now);
  const step = spec.steps[r.currentStep];
  const held = async (index: number | typeof PROMOTE) => (raisesCanary(spec, index) && !run.overrideAt ? guardHoldsNow(tx, r.serviceId, spec.canaryVersion) : []);

  if (!step) {
    // Halt-all and freeze windows hold every traffic increase, before the guards.
    const safety = await safetyHold(tx, r, spec, run, now);
    if (safety) return safety;
    const holds = await held(PROMOTE);
    if (holds.length > 0) return { rollout: await holdByGuard(tx, r, spec, holds), again: false, wake: tick };
    return { rollout: await promoteNow(tx, r, spec, `Every step done: promoting to 100 % ${spec.canaryVersion}`), again: true, wake: null };
  }

  switch (step.kind) {
    case 'setWeight':
    case 'setHeaderRoute': {
      if (run.routingVersion === null) {
        const safety = raisesCanary(spec, r.currentStep) ? await safetyHold(tx, r, spec, run, now) : null;
        if (safety) return safety;
        const holds = await held(r.currentStep);
        if (holds.length > 0) return { rollout: await holdByGuard(tx, r, spec, holds), again: false, wake: tick };
        const routing = routingAt(spec, r.currentStep);
        const { rollout, routingVersion } = await writeRouting(tx, r, routing, WORKER, `Routing for ${stepWords(spec, r.currentStep)} written as version ${service.version + 1}`);
        await tx.rolloutStepRun.update({ where: { id: run.id }, data: { routing: toJson(routing), routingVersion, heldBy: undefined } });
        return { rollout, again: false, wake: tick };
      }
      if (service.appliedVersion >= run.routingVersion) {
        await tx.rolloutStepRun.update({ where: { id: run.id }, data: { appliedAt: service.appliedAt ?? now } });
        return { rollout: await advanceFrom(tx, r, spec, `the platform applied routing version ${run.routingVersion}`), again: true, wake: null };
      }
      return { rollout: r, again: false, wake: tick };
    }
    case 'pause': {
      if (step.seconds === undefined) return { rollout: await pauseWith(tx, r, 'step_pause', 'Paused until someone resumes it'), again: false, wake: null };
      const end = new Date(run.startedAt.getTime() + step.seconds * 1000);
      if (now >= end) return { rollout: await advanceFrom(tx, r, spec, 'the pause ended'), again: true, wake: null };
      return { rollout: await pauseWith(tx, r, 'step_pause', `Pausing until ${utc(end)}`), again: false, wake: end };
    }
    case 'approval': {
      let request = await tx.approvalRequest.findUnique({ where: { rolloutId_attempt_stepIndex: { rolloutId: r.id, attempt: r.attempt, stepIndex: r.currentStep } } });
      if (!request) {
        const expiresAt = new Date(now.getTime() + step.expiresInS * 1000);
        request = await tx.approvalRequest.create({ data: { rolloutId: r.id, attempt: r.attempt, stepIndex: r.currentStep, quorum: step.quorum, onExpiry: step.onExpiry, expiresAt } });
        await recordEvent(tx, r, {
          kind: 'approval',
          summary: `Waiting for ${step.quorum} approver${step.quorum === 1 ? '' : 's'} until ${utc(expiresAt)} (never the author)`,
          actorName: WORKER,
          stepIndex: r.currentStep,
          data: { requestId: request.id, quorum: step.quorum, expiresAt },
        });
        await approvalRequestedWebhook(tx, r, request);
      }
      const paused = await pauseWith(tx, r, 'awaiting_approval', `Waiting for ${request.quorum} approval${request.quorum === 1 ? '' : 's'} until ${utc(request.expiresAt)}`);
      return { rollout: paused, again: true, wake: null };
    }
    case 'analysis': {
      const analysis = await ensureAnalysisRun(tx, r, spec, { stepIndex: r.currentStep, metrics: step.metrics, startedAt: run.startedAt, endsAt: new Date(run.startedAt.getTime() + step.seconds * 1000) });
      const result = await lookAt(tx, r, spec, analysis, step.metrics, now);
      if (result.verdict === 'fail') {
        await recordEvent(tx, r, { kind: 'analysis', summary: `Analysis failed: ${result.summary}`, actorName: WORKER, stepIndex: r.currentStep, data: { verdict: 'fail' } });
        return { rollout: await abortWith(tx, r, spec, 'analysis_failed', `Analysis failed, rolling back: ${result.summary}`), again: true, wake: null };
      }
      if (result.verdict === 'pass') {
        await recordEvent(tx, r, { kind: 'analysis', summary: `Analysis passed: ${result.summary}`, actorName: WORKER, stepIndex: r.currentStep, data: { verdict: 'pass' } });
        return { rollout: await advanceFrom(tx, r, spec, 'the analysis passed'), again: true, wake: null };
      }
      if (result.verdict === 'inconclusive') {
        await recordEvent(tx, r, { kind: 'analysis', summary: `Analysis inconclusive: ${result.summary}`, actorName: WORKER, stepIndex: r.currentStep, data: { verdict: 'inconclusive' } });
        return { rollout: await pauseWith(tx, r, 'inconclusive_analysis', `Analysis inconclusive; a person decides (resume to accept, or abort): ${result.summary}`), again: false, wake: null };
      }
      const ends = analysis.endsAt ?? tick;
      return { rollout: r, again: false, wake: ends < tick ? ends : tick };
    }
  }
}
