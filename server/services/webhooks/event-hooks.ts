// The webhook events of the existing code paths, each called with one line from inside the
// transaction that makes the change (so the delivery commits, or rolls back, with it):
// rollout transitions (rollout-state.ts), approval requests (reconcile-steps.ts), run transitions
// (run-state.ts), the run report (run-recovery.ts), halt-all (halt.ts).
import type { Tx } from '../../db/client';
import type { ApprovalRequest, ExperimentRun, Rollout } from '../../db/generated/client';
import { ABORT_REASON_LABELS, STATE_LABELS, type RolloutEvent } from '../../domain/rollouts/machine';
import { RUN_ABORT_REASON_LABELS, RUN_STATE_LABELS, type RunEvent } from '../../domain/experiments/machine';
import { rolloutSpecSchema } from '../../domain/rollouts/spec';
import { emitWebhookEvent } from './emit';
import { approvalLink, consoleLink } from './links';

async function rolloutData(tx: Tx, r: Rollout) {
  const service = await tx.service.findUnique({ where: { id: r.serviceId }, select: { name: true } });
  return { rolloutId: r.id, rollout: r.name, service: service?.name ?? '', state: STATE_LABELS[r.state], detail: r.stateDetail.slice(0, 2000), link: consoleLink(`/rollouts/${r.id}`) };
}

/** After a rollout transition: promoted (succeeded), rolled back, or aborted because its analysis failed. */
export async function rolloutTransitionWebhooks(tx: Tx, before: Rollout, event: RolloutEvent, after: Rollout): Promise<void> {
  if (after.state === 'succeeded' && before.state !== 'succeeded') {
    await emitWebhookEvent(tx, 'rollout_promoted', async () => ({ ...(await rolloutData(tx, after)), version: rolloutSpecSchema.safeParse(after.spec).data?.canaryVersion ?? '' }));
  }
  if (after.state === 'rolled_back' && before.state !== 'rolled_back') {
    await emitWebhookEvent(tx, 'rollout_rolled_back', async () => ({ ...(await rolloutData(tx, after)), reason: after.abortReason ? ABORT_REASON_LABELS[after.abortReason] : 'rolled back' }));
  }
  if (event.type === 'abort' && event.reason === 'analysis_failed') {
    await emitWebhookEvent(tx, 'rollout_analysis_failed', () => rolloutData(tx, after));
  }
}

/** When the reconciler opens an approval request: the link opens the approval in the console. */
export async function approvalRequestedWebhook(tx: Tx, r: Rollout, request: Pick<ApprovalRequest, 'id' | 'stepIndex' | 'quorum' | 'expiresAt'>): Promise<void> {
  await emitWebhookEvent(tx, 'rollout_approval_requested', async () => ({
    ...(await rolloutData(tx, r)),
    state: 'Waiting for approval',
    requestId: request.id,
    stepIndex: request.stepIndex,
    quorum: request.quorum,
    expiresAt: request.expiresAt.toISOString(),
    approvalLink: approvalLink(r.id, request.id),
  }));
}

type Run = ExperimentRun & { experiment: { name: string } };

const runData = (r: Run) => ({
  runId: r.id,
  experimentId: r.experimentId,
  experiment: r.experiment.name,
  number: r.number,
  state: RUN_STATE_LABELS[r.state],
  detail: r.stateDetail.slice(0, 2000),
  link: consoleLink(`/experiments/runs/${r.id}`),
});

/** After a run transition: started injecting, or aborted (the first abort; its reason is kept). */
export async function runTransitionWebhooks(tx: Tx, before: Run, event: RunEvent, after: Run): Promise<void> {
  if (event.type === 'inject') await emitWebhookEvent(tx, 'experiment_started', runData(after));
  if (event.type === 'abort' && before.abortReason === null) {
    await emitWebhookEvent(tx, 'experiment_aborted', { ...runData(after), reason: RUN_ABORT_REASON_LABELS[event.reason] });
  }
}

/** When the run's report is stored. */
export async function reportReadyWebhook(tx: Tx, r: Run, reportSummary: string): Promise<void> {
  await emitWebhookEvent(tx, 'experiment_report_ready', { ...runData(r), reportSummary: reportSummary.slice(0, 2000) });
}

export async function haltEngagedWebhook(tx: Tx, h: { id: string; by: string; reason: string; runsAborted: number; rolloutsPaused: number }): Promise<void> {
  await emitWebhookEvent(tx, 'halt_engaged', { haltId: h.id, by: h.by, reason: h.reason, runsAborted: h.runsAborted, rolloutsPaused: h.rolloutsPaused, link: consoleLink('/safety') });
}

export async function haltReleasedWebhook(tx: Tx, h: { id: string; by: string; reason: string; rolloutsStillPaused: number }): Promise<void> {
  await emitWebhookEvent(tx, 'halt_released', { haltId: h.id, by: h.by, reason: h.reason, rolloutsStillPaused: h.rolloutsStillPaused, link: consoleLink('/safety') });
}
