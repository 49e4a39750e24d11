// The one way a chaos run's state moves, for the commands and the run controller alike: the
// machine of server/domain/experiments/machine.ts decides (a refused transition is a conflict in
// words), the row and its ExperimentRunEvent are written together, the version is bumped, and a
// command's write is guarded by the version the person saw (compare-and-set), so an abort racing
// the controller never undoes what it did.
import type { Tx } from '../../db/client';
import type { ExperimentRun, Prisma } from '../../db/generated/client';
import { RUN_STATE_LABELS, RUN_TRANSITIONS, TERMINAL_RUN_STATES, nextRunState, type RunEvent, type RunEventType, type RunState } from '../../domain/experiments/machine';
import { experimentSpecSchema, type ExperimentSpec } from '../../domain/experiments/spec';
import { AppError, notFound } from '../../errors';
import { FAULTS_CHANNEL } from '../../live/topics';
import type { CommandContext } from '../command';
import { compareAndSet } from '../compare-and-set';
import { runTransitionWebhooks } from '../webhooks/event-hooks';

/** Audit actions that move a run's version: the newest names who changed it last. */
export const RUN_ACTIONS = ['experiment.run.start', 'experiment.run.abort', 'experiment.run.controller'] as const;

/** The controller's name on events and audit rows. */
export const CONTROLLER = 'run controller';

export const toJson = (v: unknown) => JSON.parse(JSON.stringify(v ?? {})) as Prisma.InputJsonValue;

export type RunWithName = ExperimentRun & { experiment: { name: string } };

export const runLabel = (r: RunWithName) => `Run "${r.experiment.name} #${r.number}"`;

/** The run's spec snapshot, parsed (validated when the run was created; parsing fills defaults). */
export function runSpec(r: Pick<ExperimentRun, 'spec'>): ExperimentSpec {
  return experimentSpecSchema.parse(r.spec);
}

const VERBS: Record<RunEventType, string> = {
  inject: 'injected',
  injected: 'confirmed injected',
  finish: 'finished',
  abort: 'aborted',
  recovered: 'closed as recovered',
  fail: 'failed',
  skip: 'skipped',
};

/** "The run is Completed; only a pending, injecting, running or recovering run can be aborted." */
export function refusalWords(from: RunState, event: RunEventType): string {
  const allowed = [...new Set(RUN_TRANSITIONS.filter((t) => t.event === event).map((t) => RUN_STATE_LABELS[t.from].toLowerCase()))];
  const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : (allowed[0] ?? 'no');
  return `The run is ${RUN_STATE_LABELS[from]}; only a ${list} run can be ${VERBS[event]}.`;
}

export function refuse(from: RunState, event: RunEventType): AppError {
  return new AppError('CONFLICT', refusalWords(from, event), undefined, { state: from });
}

/** Takes the row lock the controller takes too: commands and the controller of one run queue up. */
export async function lockRun(tx: Tx, id: string): Promise<RunWithName | null> {
  await tx.$queryRaw`SELECT id FROM "ExperimentRun" WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.experimentRun.findUnique({ where: { id }, include: { experiment: { select: { name: true } } } });
}

export async function loadRunLocked(tx: Tx, id: string): Promise<RunWithName> {
  const r = await lockRun(tx, id);
  if (!r) throw notFound('That run');
  return r;
}

export type RunEventKind = 'state' | 'injected' | 'removed' | 'abort_condition' | 'steady_state' | 'guard' | 'override' | 'halt' | 'freeze' | 'report';

export interface RunEventRecord {
  kind: RunEventKind;
  summary: string;
  actorName: string;
  fromState?: RunState | null;
  toState?: RunState | null;
  data?: Record<string, unknown>;
}

export async function recordRunEvent(tx: Tx, runId: string, e: RunEventRecord): Promise<void> {
  await tx.experimentRunEvent.create({
    data: { runId, kind: e.kind, fromState: e.fromState ?? null, toState: e.toState ?? null, summary: e.summary.slice(0, 2000), actorName: e.actorName, data: toJson(e.data) },
  });
}

export interface RunTransitionOptions {
  actorName: string;
  /** What happened, for the timeline (and stateDetail unless `detail`). */
  summary: string;
  detail?: string;
  extra?: Prisma.ExperimentRunUncheckedUpdateManyInput;
  /** A command's compare-and-set: the version the person saw. Absent = the controller under its row lock. */
  expectedVersion?: number;
  data?: Record<string, unknown>;
}

/**
 * Moves `r` by `event` through the machine, or throws the refusal in words. An abort records its
 * reason (the first one is kept: a person's abort after an abort condition does not rewrite why
 * the run stopped); `recovered` ends in aborted when a reason was recorded. Returns the row now.
 */
export async function transitionRun(tx: Tx, r: RunWithName, event: RunEvent, o: RunTransitionOptions): Promise<RunWithName> {
  const to = nextRunState(r.state, event, r.abortReason !== null);
  if (!to) throw refuse(r.state, event.type);
  const data: Prisma.ExperimentRunUncheckedUpdateManyInput = {
    ...o.extra,
    state: to,
    stateDetail: (o.detail ?? o.summary).slice(0, 2000),
    version: { increment: 1 },
  };
  if (event.type === 'abort' && r.abortReason === null) data.abortReason = event.reason;
  if (TERMINAL_RUN_STATES.has(to)) data.endedAt = new Date();
  if (o.expectedVersion !== undefined) {
    const expected = o.expectedVersion;
    await compareAndSet(tx, {
      row: { type: 'experiment_run', id: r.id, label: runLabel(r) },
      expected,
      versionActions: RUN_ACTIONS,
      write: () => tx.experimentRun.updateMany({ where: { id: r.id, version: expected }, data }),
      current: async () => {
        const now = await tx.experimentRun.findUnique({ where: { id: r.id }, select: { version: true, state: true, abortReason: true } });
        return now && { version: now.version, values: { state: now.state, abortReason: now.abortReason } };
      },
    });
  } else {
    await tx.experimentRun.updateMany({ where: { id: r.id }, data });
  }
  const after = await tx.experimentRun.findUniqueOrThrow({ where: { id: r.id }, include: { experiment: { select: { name: true } } } });
  await recordRunEvent(tx, r.id, {
    kind: 'state',
    summary: o.summary,
    actorName: o.actorName,
    fromState: r.state,
    toState: to,
    data: { event: event.type, ...('reason' in event ? { reason: event.reason } : {}), ...o.data },
  });
  await runTransitionWebhooks(tx, r, event, after);
  return after;
}

/** A new stateDetail without a state change (a guard's live value): bumps the version so a stale command is refused. */
export async function setRunDetail(tx: Tx, r: RunWithName, detail: string): Promise<RunWithName> {
  if (r.stateDetail === detail) return r;
  await tx.experimentRun.update({ where: { id: r.id }, data: { stateDetail: detail.slice(0, 2000), version: { increment: 1 } } });
  return tx.experimentRun.findUniqueOrThrow({ where: { id: r.id }, include: { experiment: { select: { name: true } } } });
}

/** The live event every change of a run carries. */
export async function emitRunChanged(ctx: CommandContext, r: Pick<ExperimentRun, 'id' | 'experimentId' | 'state'>): Promise<void> {
  await ctx.emit('experiment.changed', { experimentId: r.experimentId, runId: r.id, state: r.state });
}

/** Wakes the telemetry leader to converge the platform's faults to the Injection rows now (delivered at commit). */
export async function notifyFaults(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${FAULTS_CHANNEL}, '')`;
}

/** The live event and the controller's job: every command on a run carries both. */
export async function announceRun(ctx: CommandContext, r: Pick<ExperimentRun, 'id' | 'experimentId' | 'state'>, runAt?: Date): Promise<void> {
  await emitRunChanged(ctx, r);
  await ctx.enqueue('experiment_run_reconcile', { runId: r.id }, { jobKey: `run:${r.id}`, runAt });
}
