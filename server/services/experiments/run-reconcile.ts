// The controller of one chaos run (job experiment_run_reconcile, key run:<id>): one transaction
// under the run's row lock (an abort waits its turn) that looks at the run, its Injection rows and
// the telemetry, makes the move that is due, and re-arms itself for the next tick while the run is
// active. Every move goes through transitionRun; every write is recorded, so a retry after a crash
// continues from what was written.
import type { Db } from '../../db/client';
import type { Injection } from '../../db/generated/client';
import type { RunAbortReason } from '../../domain/experiments/machine';
import { ACTIVE_RUN_STATES } from '../../domain/experiments/machine';
import type { ExperimentSpec } from '../../domain/experiments/spec';
import { runCommand, type CommandContext } from '../command';
import { activeHalt, haltWords } from '../safety/halt-checks';
import { activeFreezesFor, freezeWords } from '../safety/freeze';
import { evaluateConditions, firstFired } from '../../domain/experiments/conditions';
import { activeFaultCapabilities, guardWords, zoneGuardHolds } from './run-checks';
import { HARD_EXPIRY_MARGIN_MS, renewLeases, requestRemoval, writeInjections } from './run-injections';
import { closeRecovery } from './run-recovery';
import { serviceSnapshot, serviceTicks } from './run-observe';
import { CONTROLLER, emitRunChanged, lockRun, recordRunEvent, runSpec, transitionRun, type RunWithName } from './run-state';

export interface RunControllerOptions {
  tickMs: number;
  leaseMs: number;
  /** The worker that renews the leases (Injection.leaseOwner). */
  owner: string;
  now?: () => Date;
}

export interface RunLook {
  state: string | null;
  wake: string | null;
}

/** Past this long without the platform confirming a fault, the fault counts as not injected. */
export const INJECT_CONFIRM_MS = 60_000;

export async function reconcileRun(db: Db, input: { runId: string }, opts: RunControllerOptions): Promise<RunLook> {
  return runCommand(db, { id: null, name: CONTROLLER }, async (ctx) => {
    let r = await lockRun(ctx.tx, input.runId);
    if (!r) return { state: null, wake: null };
    const start = { version: r.version, state: r.state, abortReason: r.abortReason };
    const now = opts.now?.() ?? new Date();
    const spec = runSpec(r);
    // A few moves in one look (pending → injecting; recovering with nothing injected → ended).
    for (let i = 0; i < 4 && ACTIVE_RUN_STATES.has(r.state); i++) {
      const before = r.version;
      r = await move(ctx, r, spec, now, opts);
      if (r.version === before) break;
    }
    if (r.abortReason && !start.abortReason) {
      await ctx.audit({ action: 'experiment.run.controller', targetType: 'experiment_run', targetId: r.id, targetName: `${r.experiment.name} #${r.number}`, before: { state: start.state }, after: { state: r.state, abortReason: r.abortReason, detail: r.stateDetail } });
    } else if (r.state !== start.state && !ACTIVE_RUN_STATES.has(r.state)) {
      await ctx.audit({ action: 'experiment.run.controller', targetType: 'experiment_run', targetId: r.id, targetName: `${r.experiment.name} #${r.number}`, before: { state: start.state }, after: { state: r.state, detail: r.stateDetail } });
    }
    if (r.version !== start.version) await emitRunChanged(ctx, r);
    const wake = ACTIVE_RUN_STATES.has(r.state) ? new Date(now.getTime() + opts.tickMs) : null;
    if (wake) await ctx.enqueue('experiment_run_reconcile', { runId: r.id }, { jobKey: `run:${r.id}`, runAt: wake });
    return { state: r.state, wake: wake?.toISOString() ?? null };
  });
}

/** Aborts the run (the machine keeps the first reason) and asks the leader to remove its faults. */
export async function abortRunWith(ctx: CommandContext, r: RunWithName, reason: RunAbortReason, words: string, actorName = CONTROLLER, data?: Record<string, unknown>, expectedVersion?: number): Promise<RunWithName> {
  const after = await transitionRun(ctx.tx, r, { type: 'abort', reason }, { actorName, summary: words, expectedVersion, data });
  await requestRemoval(ctx.tx, r.id, reason === 'halted' ? 'halted' : 'aborted');
  return after;
}

async function move(ctx: CommandContext, r: RunWithName, spec: ExperimentSpec, now: Date, opts: RunControllerOptions): Promise<RunWithName> {
  const tx = ctx.tx;
  switch (r.state) {
    case 'pending':
      return pending(ctx, r, spec, now, opts);
    case 'injecting': {
      const halted = await haltAbort(ctx, r);
      if (halted) return halted;
      await renewLeases(tx, r.id, opts.owner, now, opts.leaseMs);
      const rows = await tx.injection.findMany({ where: { runId: r.id } });
      const lapsed = leaseLost(rows);
      if (lapsed) return abortRunWith(ctx, r, 'lease_lost', lapsed);
      return injecting(ctx, r, spec, rows, now);
    }
    case 'running': {
      const halted = await haltAbort(ctx, r);
      if (halted) return halted;
      await renewLeases(tx, r.id, opts.owner, now, opts.leaseMs);
      const rows = await tx.injection.findMany({ where: { runId: r.id } });
      const lapsed = leaseLost(rows);
      if (lapsed) return abortRunWith(ctx, r, 'lease_lost', lapsed);
      return running(ctx, r, spec, now);
    }
    case 'recovering':
      return closeRecovery(ctx, r, spec, now, opts.leaseMs);
    default:
      return r;
  }
}

async function haltAbort(ctx: CommandContext, r: RunWithName): Promise<RunWithName | null> {
  const h = await activeHalt(ctx.tx);
  if (!h || r.abortReason) return null;
  await recordRunEvent(ctx.tx, r.id, { kind: 'halt', summary: `Halted: ${haltWords(h)}`, actorName: CONTROLLER, data: { haltId: h.id } });
  return abortRunWith(ctx, r, 'halted', `Halted: ${haltWords(h)}; removing the faults`);
}

/** A fault the leader took out because its lease lapsed or it expired while the run still wanted it. */
function leaseLost(rows: readonly Injection[]): string | null {
  const gone = rows.find((x) => x.removedAt !== null && (x.removeReason === 'lease_lapsed' || x.removeReason === 'expired'));
  if (!gone) return null;
  return `Lease lost: a fault lapsed (${gone.removeReason === 'expired' ? 'its hard expiry passed' : 'its lease was not renewed in time'}); removing the rest`;
}

async function pending(ctx: CommandContext, r: RunWithName, spec: ExperimentSpec, now: Date, opts: RunControllerOptions): Promise<RunWithName> {
  const tx = ctx.tx;
  const h = await activeHalt(tx);
  if (h) {
    await recordRunEvent(tx, r.id, { kind: 'halt', summary: `Not injected: ${haltWords(h)}`, actorName: CONTROLLER, data: { haltId: h.id } });
    return abortRunWith(ctx, r, 'halted', `Not injected: ${haltWords(h)}`);
  }
  if (!r.freezeOverrideReason) {
    const freezes = await activeFreezesFor(tx, 'experiments', now);
    if (freezes.length > 0) {
      const words = `inside the ${freezes.map(freezeWords).join(' and the ')}`;
      await recordRunEvent(tx, r.id, { kind: 'freeze', summary: `Frozen: ${words}`, actorName: CONTROLLER });
      return abortRunWith(ctx, r, 'frozen', `Not injected: ${words}`);
    }
  }
  const targets = await tx.experimentRunTarget.findMany({ where: { runId: r.id }, orderBy: { instanceName: 'asc' } });
  if (!r.guardOverrideReason) {
    const holds = await zoneGuardHolds(tx, targets.map((t) => t.zone));
    if (holds.length > 0) {
      await recordRunEvent(tx, r.id, { kind: 'guard', summary: guardWords(holds), actorName: CONTROLLER, data: { holds: holds.map((x) => x.words) } });
      return abortRunWith(ctx, r, 'guard', `Not injected: ${guardWords(holds)}`);
    }
  }
  const services = [...new Set(targets.map((t) => t.serviceName))];
  if (spec.steadyState.length > 0) {
    const windowS = Math.max(...spec.steadyState.map((c) => ('windowS' in c ? c.windowS : 0)), 1);
    const ticks = await serviceTicks(tx, services, new Date(now.getTime() - windowS * 1000), now);
    const results = evaluateConditions(spec.steadyState, ticks, now.getTime(), await serviceSnapshot(tx, services));
    const bad = firstFired(results);
    if (bad) {
      await recordRunEvent(tx, r.id, { kind: 'steady_state', summary: `Steady state does not hold: ${bad.words}`, actorName: CONTROLLER, data: { condition: bad.condition, value: bad.value, threshold: bad.threshold } });
      return abortRunWith(ctx, r, 'steady_state', `Not injected: the steady-state hypothesis does not hold: ${bad.words}`);
    }
    await recordRunEvent(tx, r.id, { kind: 'steady_state', summary: `Steady state holds: ${results.map((x) => x.words).join('; ')}`, actorName: CONTROLLER });
  }
  const caps = await activeFaultCapabilities(tx);
  const n = await writeInjections(tx, targets, { runId: r.id, spec, adapterKind: caps.kind, owner: opts.owner, now, leaseMs: opts.leaseMs });
  return transitionRun(tx, r, { type: 'inject' }, {
    actorName: CONTROLLER,
    summary: `Injecting ${spec.fault.kind} into ${targets.length} targets (${n} faults on ${caps.adapter}); hard expiry in ${spec.durationS + Math.round((opts.leaseMs + HARD_EXPIRY_MARGIN_MS) / 1000)} s`,
    detail: `Injecting: waiting for ${caps.adapter} to confirm ${n} faults`,
  });
}

async function injecting(ctx: CommandContext, r: RunWithName, spec: ExperimentSpec, rows: readonly Injection[], now: Date): Promise<RunWithName> {
  const tx = ctx.tx;
  const asked = rows.reduce((m, x) => Math.min(m, x.createdAt.getTime()), now.getTime());
  const overdue = now.getTime() - asked > INJECT_CONFIRM_MS;
  const settled = (x: Injection) => x.injectedAt !== null || x.lastError !== '' || x.removedAt !== null || overdue;
  if (!rows.every(settled)) return r;
  const ok = rows.filter((x) => x.injectedAt !== null && x.removedAt === null);
  const bad = rows.filter((x) => !ok.includes(x));
  const targets = await tx.experimentRunTarget.findMany({ where: { runId: r.id } });
  for (const x of bad) {
    const why = x.lastError || (x.removedAt ? 'the platform removed it before confirming' : `the platform did not confirm it within ${INJECT_CONFIRM_MS / 1000} s`);
    const hit = targets.filter((t) => (x.backend ? t.serviceName === x.backend : t.id === x.targetId));
    await tx.experimentRunTarget.updateMany({ where: { id: { in: hit.map((t) => t.id) } }, data: { state: 'could_not_inject', detail: `Could not inject: ${why}`.slice(0, 2000) } });
    await tx.injection.updateMany({ where: { id: x.id, removedAt: null }, data: { desired: false, removeReason: 'aborted' } });
  }
  if (ok.length === 0) return abortRunWith(ctx, r, 'injection_failed', `The platform injected none of the ${rows.length} faults: ${bad[0]?.lastError || 'no confirmation'}`);
  const okTargets = targets.filter((t) => ok.some((x) => (x.backend ? t.serviceName === x.backend : t.id === x.targetId)));
  await tx.experimentRunTarget.updateMany({ where: { id: { in: okTargets.map((t) => t.id) } }, data: { state: 'injected', detail: '' } });
  const injectedAt = new Date(Math.min(...ok.map((x) => x.injectedAt!.getTime())));
  const runUntil = new Date(injectedAt.getTime() + spec.durationS * 1000);
  await recordRunEvent(tx, r.id, { kind: 'injected', summary: `Injected into ${okTargets.length} ${okTargets.length === 1 ? 'target' : 'targets'}${bad.length ? `; ${bad.length} ${bad.length === 1 ? 'fault' : 'faults'} could not be injected` : ''}`, actorName: CONTROLLER, data: { injected: ok.length, failed: bad.length } });
  return transitionRun(tx, r, { type: 'injected' }, {
    actorName: CONTROLLER,
    summary: `Running: ${spec.fault.kind} confirmed on ${okTargets.length} target${okTargets.length === 1 ? '' : 's'} until ${runUntil.toISOString().slice(11, 19)} UTC`,
    extra: { injectedAt, runUntil },
  });
}

async function running(ctx: CommandContext, r: RunWithName, spec: ExperimentSpec, now: Date): Promise<RunWithName> {
  const tx = ctx.tx;
  if (spec.abortConditions.length > 0) {
    const targets = await tx.experimentRunTarget.findMany({ where: { runId: r.id }, select: { serviceName: true } });
    const services = [...new Set(targets.map((t) => t.serviceName))];
    const windowS = Math.max(...spec.abortConditions.map((c) => ('windowS' in c ? c.windowS : 0)), 1);
    // Only what the fault caused: the window never reaches back before the injection.
    const from = new Date(Math.max(now.getTime() - windowS * 1000, r.injectedAt?.getTime() ?? now.getTime()));
    const results = evaluateConditions(spec.abortConditions, await serviceTicks(tx, services, from, now), now.getTime(), await serviceSnapshot(tx, services));
    const fired = firstFired(results);
    if (fired) {
      await recordRunEvent(tx, r.id, { kind: 'abort_condition', summary: `Abort condition fired: ${fired.words}`, actorName: CONTROLLER, data: { condition: fired.condition, value: fired.value, threshold: fired.threshold } });
      return abortRunWith(ctx, r, 'abort_condition', `Aborted: ${fired.words}`, CONTROLLER, { condition: fired.condition, value: fired.value, threshold: fired.threshold });
    }
  }
  if (r.runUntil && now >= r.runUntil) {
    const after = await transitionRun(tx, r, { type: 'finish' }, { actorName: CONTROLLER, summary: `Duration of ${spec.durationS} s over: removing the faults, then observing self-heal for up to ${spec.observeS} s` });
    await requestRemoval(tx, r.id, 'completed');
    return after;
  }
  return r;
}
