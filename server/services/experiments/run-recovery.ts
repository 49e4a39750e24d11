// The end of a run: its faults are asked out (desired = false); once the platform confirmed every
// one removed the run observes self-heal until faultsRemovedAt + observeS (or until every layer
// healed), builds the per-layer report and ends completed — or aborted when an abort was
// recorded. A fault still in the platform a lease plus a minute after it was asked out fails the
// run, and its target says in words what a person does about it.
import type { Injection } from '../../db/generated/client';
import { RUN_ABORT_REASON_LABELS } from '../../domain/experiments/machine';
import type { ExperimentSpec } from '../../domain/experiments/spec';
import type { CommandContext } from '../command';
import { buildRunReport } from '../../domain/experiments/report';
import { couldNotRecoverWords, HARD_EXPIRY_MARGIN_MS, requestRemoval } from './run-injections';
import { layerInputs } from './run-observe';
import { CONTROLLER, recordRunEvent, toJson, transitionRun, type RunWithName } from './run-state';
import { reportReadyWebhook } from '../webhooks/event-hooks';

/** When removal was asked: the run's first move into recovering. */
async function removalAskedAt(ctx: CommandContext, runId: string, fallback: Date): Promise<Date> {
  const e = await ctx.tx.experimentRunEvent.findFirst({ where: { runId, toState: 'recovering' }, orderBy: { id: 'asc' }, select: { at: true } });
  return e?.at ?? fallback;
}

export async function closeRecovery(ctx: CommandContext, r: RunWithName, spec: ExperimentSpec, now: Date, leaseMs: number): Promise<RunWithName> {
  const tx = ctx.tx;
  let rows = await tx.injection.findMany({ where: { runId: r.id } });
  if (rows.some((x) => x.desired && x.removedAt === null)) {
    // Idempotent: an abort that raced the controller, or a crash between the move and the request.
    await requestRemoval(tx, r.id, r.abortReason === 'halted' ? 'halted' : r.abortReason ? 'aborted' : 'completed');
    rows = await tx.injection.findMany({ where: { runId: r.id } });
  }
  const left = rows.filter((x) => x.removedAt === null);
  if (left.length > 0) {
    const asked = await removalAskedAt(ctx, r.id, now);
    const deadline = new Date(asked.getTime() + leaseMs + HARD_EXPIRY_MARGIN_MS);
    if (now < deadline) return r;
    return failRecovery(ctx, r, left);
  }
  if (!r.faultsRemovedAt) {
    const removedAt = rows.length ? new Date(Math.max(...rows.map((x) => x.removedAt!.getTime()))) : now;
    await tx.experimentRunTarget.updateMany({ where: { runId: r.id, state: 'injected' }, data: { state: 'recovered', detail: '' } });
    if (rows.length > 0) await recordRunEvent(tx, r.id, { kind: 'removed', summary: `Every fault confirmed removed by the platform (${rows.length})`, actorName: CONTROLLER, data: { faults: rows.length } });
    await tx.experimentRun.update({ where: { id: r.id }, data: { faultsRemovedAt: removedAt, version: { increment: 1 } } });
    r = await tx.experimentRun.findUniqueOrThrow({ where: { id: r.id }, include: { experiment: { select: { name: true } } } });
  }
  const removed = r.faultsRemovedAt!;
  const why = r.abortReason ? `${RUN_ABORT_REASON_LABELS[r.abortReason]}` : null;
  if (!r.injectedAt) {
    return transitionRun(tx, r, { type: 'recovered' }, { actorName: CONTROLLER, summary: `Ended without injecting${why ? `: ${why}` : ''}`, detail: r.stateDetail || 'Ended without injecting' });
  }
  const until = new Date(removed.getTime() + spec.observeS * 1000);
  const from = new Date(r.injectedAt.getTime() - spec.baselineS * 1000);
  const end = now < until ? now : until;
  const report = buildRunReport({
    spec,
    layers: await layerInputs(tx, from, end),
    baseline: { from: from.getTime(), to: r.injectedAt.getTime() },
    fault: { from: r.injectedAt.getTime(), to: removed.getTime() },
    observeUntil: end.getTime(),
  });
  const healed = report.layers.filter((l) => l.selfHealS !== null).length;
  // Observation ends early once every layer has healed (nothing more to learn); else at its end.
  if (now < until && (report.layers.length === 0 || healed < report.layers.length)) return r;
  await tx.experimentRun.update({ where: { id: r.id }, data: { report: toJson(report) } });
  await recordRunEvent(tx, r.id, { kind: 'report', summary: `Report ready: ${report.summary}`, actorName: CONTROLLER });
  const detail = why ? r.stateDetail : `Completed: ${healed} of ${report.layers.length} layers self-healed`;
  const ended = await transitionRun(tx, r, { type: 'recovered' }, { actorName: CONTROLLER, summary: `Recovered: faults removed, observation over${why ? ` (${why})` : ''}`, detail });
  // Announced once the run has ended, so the event's state says "Completed" (or "Aborted"), not "Recovering".
  await reportReadyWebhook(tx, ended, report.summary);
  return ended;
}

async function failRecovery(ctx: CommandContext, r: RunWithName, left: readonly Injection[]): Promise<RunWithName> {
  const tx = ctx.tx;
  const targets = await tx.experimentRunTarget.findMany({ where: { runId: r.id } });
  const words: string[] = [];
  for (const x of left) {
    const hit = targets.filter((t) => (x.backend ? t.serviceName === x.backend : t.id === x.targetId));
    const w = couldNotRecoverWords(x, hit[0]?.instanceName ?? x.instanceId);
    words.push(w);
    await tx.experimentRunTarget.updateMany({ where: { id: { in: hit.map((t) => t.id) } }, data: { state: 'could_not_recover', detail: w.slice(0, 2000) } });
  }
  return transitionRun(tx, r, { type: 'fail' }, {
    actorName: CONTROLLER,
    summary: `Failed: ${left.length} faults not confirmed removed in time. ${words[0] ?? ''}`,
    data: { faults: left.map((x) => x.id) },
  });
}
