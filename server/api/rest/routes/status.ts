// GET /status: what an SRE checks first, in one call (the CLI's `switchback status`): the health
// of Switchback itself, whether halt-all is engaged, and the rollouts and experiment runs in
// flight. Composed from the console's own reads through a caller, so a viewer token sees what a
// viewer sees in the console and nothing else.
import { z } from 'zod';
import { ACTIVE_STATES } from '../../../domain/rollouts/machine';
import { ACTIVE_RUN_STATES } from '../../../domain/experiments/machine';
import { createCaller } from '../../root';
import type { Context } from '../../trpc';
import type { HandlerRoute } from '../route';

export const statusInput = z.object({}).strict();

/** Runs in flight shown at most: a page of the runs list per state is plenty for a status line. */
const RUNS_PER_STATE = 100;

export async function fleetStatus(ctx: Context) {
  const caller = createCaller(ctx);
  const [health, safety, rollouts, runs] = await Promise.all([
    caller.system.health(),
    caller.safety.status(),
    Promise.all([...ACTIVE_STATES].map((state) => caller.rollouts.list({ state }))).then((lists) => lists.flat()),
    Promise.all([...ACTIVE_RUN_STATES].map((state) => caller.experiments.runs.list({ state, pageSize: RUNS_PER_STATE }))).then((pages) => pages.flatMap((p) => p.runs)),
  ]);
  const halt = safety.halt;
  return {
    health,
    halt: halt
      ? { engaged: true, reason: halt.reason, by: halt.engagedByName, at: halt.engagedAt, words: halt.words, faultsPending: halt.faultsPending }
      : { engaged: false, reason: null, by: null, at: null, lastReleased: safety.lastReleased },
    freezes: safety.activeFreezes.map((f) => ({ id: f.id, name: f.name, reason: f.reason, endsAt: f.endsAt, words: f.words })),
    rollouts: rollouts.map((r) => ({
      id: r.id,
      name: r.name,
      service: r.service.name,
      state: r.state,
      pauseReason: r.pauseReason,
      step: r.currentStep,
      stepCount: r.stepCount,
      canaryVersion: r.canaryVersion,
      canaryPct: r.measuredCanaryPct ?? r.desiredCanaryPct,
      awaitingApproval: r.approval !== null,
    })),
    experiments: runs.map((r) => ({ runId: r.id, experimentId: r.experimentId, experiment: r.experimentName, number: r.number, state: r.state, startedByName: r.startedByName })),
  };
}

export const statusRoutes: HandlerRoute[] = [
  {
    method: 'GET',
    path: '/status',
    operationId: 'getStatus',
    summary: 'Fleet health, halt-all, active freeze windows, rollouts and experiment runs in flight.',
    tag: 'system',
    min: 'viewer',
    input: statusInput,
    mapInput: () => ({}),
    handler: (ctx) => fleetStatus(ctx),
  },
];
