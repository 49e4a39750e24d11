// Starting a chaos run (experiments.start, operator): one transaction that refuses in words when
// halt-all is engaged, a freeze window applies, the platform cannot do the fault, the blast radius
// is exceeded or a topology guard holds in a target zone — a freeze or a guard only an approver may
// override, with a reason recorded on the run. Otherwise it freezes the selected instances into
// ExperimentRunTarget rows (drawn with the run id as the seed: the preview with that seed shows the
// same draw), snapshots the spec, audits, announces, and hands the run to its controller.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { hasRole } from '../../auth/roles';
import type { Db } from '../../db/client';
import type { Role } from '../../db/generated/enums';
import { experimentSpecSchema } from '../../domain/experiments/spec';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor, type CommandContext } from '../command';
import { faultRefusals } from '../../domain/experiments/refusals';
import { selectTargets } from '../../domain/experiments/selection';
import { assertNotHalted } from '../safety/halt-checks';
import { activeFreezesFor, freezeWords } from '../safety/freeze';
import { activeFaultCapabilities, fleetCandidates, globalMaxBlastPct, guardWords, zoneGuardHolds } from './run-checks';
import { startRunInput } from './run-inputs';
import { announceRun, recordRunEvent, toJson } from './run-state';

export type RunActor = Actor & { role: Role };

/** The domain's refusals as sentences: each ends with a full stop. */
const sentences = (xs: readonly string[]) => xs.map((x) => (/[.!?]$/.test(x) ? x : `${x}.`)).join(' ');

function requireApprover(actor: RunActor, what: string) {
  if (!hasRole(actor.role, 'approver')) throw new AppError('FORBIDDEN', `Only an approver can override ${what}; ask one to start this run with a reason.`);
}

export async function startRun(db: Db, actor: RunActor, input: z.input<typeof startRunInput>) {
  const parsed = startRunInput.parse(input);
  if (parsed.guardOverrideReason !== undefined) requireApprover(actor, 'a topology guard');
  if (parsed.freezeOverrideReason !== undefined) requireApprover(actor, 'a freeze window');
  return runCommand(db, actor, (ctx) => startRunInTx(ctx, parsed, { trigger: 'manual', scheduleId: null }));
}

export interface RunOrigin {
  trigger: 'manual' | 'schedule';
  scheduleId: string | null;
}

/**
 * The start inside a caller's command (the schedule sweep starts due runs this way). Every
 * refusal is an AppError thrown before anything is written, so a caller may catch it and record
 * a skipped run instead. Overrides must already be checked against the actor's role.
 */
export async function startRunInTx(ctx: CommandContext, input: z.output<typeof startRunInput>, origin: RunOrigin) {
  const { experimentId, guardOverrideReason, freezeOverrideReason } = input;
  const actor = ctx.actor;
  const tx = ctx.tx;
  // The experiment's row lock: two starts of one experiment take turns for the next number.
  await tx.$queryRaw`SELECT id FROM "Experiment" WHERE id = ${experimentId}::uuid FOR UPDATE`;
  const experiment = await tx.experiment.findUnique({ where: { id: experimentId } });
  if (!experiment) throw notFound('That experiment');
  if (experiment.archivedAt) throw new AppError('CONFLICT', `Experiment "${experiment.name}" is archived; archived experiments cannot be run.`);
  const refuseStart = (code: 'CONFLICT' | 'PRECONDITION_FAILED', why: string, details?: Record<string, unknown>) =>
    new AppError(code, `Experiment "${experiment.name}" cannot start: ${why}`, undefined, details);

  await assertNotHalted(tx, `Starting a run of experiment "${experiment.name}"`);
  const now = new Date();
  const freezes = await activeFreezesFor(tx, 'experiments', now);
  if (freezes.length > 0 && freezeOverrideReason === undefined) {
    throw refuseStart('CONFLICT', `inside the ${freezes.map(freezeWords).join(' and the ')}. An approver may start it anyway with a reason.`, { freezes: freezes.map((f) => ({ name: f.window.name, endsAt: f.endsAt.toISOString() })) });
  }

  const spec = experimentSpecSchema.parse(experiment.spec);
  const caps = await activeFaultCapabilities(tx);
  const runId = randomUUID();
  const preview = selectTargets({ spec, instances: await fleetCandidates(tx), globalMaxPct: await globalMaxBlastPct(tx), seed: runId });
  // What the platform refuses first (changing the fault is the fix), then the selection's caps.
  const platform = faultRefusals(spec, caps, preview.perService);
  if (platform.refusals.length > 0) throw refuseStart('PRECONDITION_FAILED', sentences(platform.refusals), { refusals: platform.refusals });
  if (preview.refusals.length > 0) throw refuseStart('PRECONDITION_FAILED', sentences(preview.refusals), { refusals: preview.refusals });

  const holds = await zoneGuardHolds(tx, preview.selected.map((t) => t.zone));
  if (holds.length > 0 && guardOverrideReason === undefined) {
    throw refuseStart('CONFLICT', `${guardWords(holds)}. An approver may start it anyway with a reason.`, { holds: holds.map((h) => ({ guard: h.guard, zone: h.zone, instance: h.instance, value: h.value, threshold: h.threshold })) });
  }

  const last = await tx.experimentRun.aggregate({ where: { experimentId }, _max: { number: true } });
  const number = (last._max.number ?? 0) + 1;
  const run = await tx.experimentRun.create({
    data: {
      id: runId,
      experimentId,
      number,
      spec: toJson(spec),
      experimentVersion: experiment.version,
      trigger: origin.trigger,
      scheduleId: origin.scheduleId,
      startedById: actor.id,
      startedByName: actor.name,
      stateDetail: `Started by ${actor.name}; checking the steady-state hypothesis before injecting`,
      ...(guardOverrideReason !== undefined ? { guardOverrideById: actor.id, guardOverrideByName: actor.name, guardOverrideReason } : {}),
      ...(freezeOverrideReason !== undefined ? { freezeOverrideById: actor.id, freezeOverrideByName: actor.name, freezeOverrideReason } : {}),
    },
  });
  await tx.experimentRunTarget.createMany({
    data: preview.selected.map((t) => ({ runId, instanceId: t.id, instanceName: t.name, serviceName: t.service, zone: t.zone, cluster: t.cluster })),
  });
  const where = preview.perService.map((s) => `${s.selected} of ${s.total} ${s.service} (${Math.round(s.pct * 10) / 10} %)`).join(', ');
  await recordRunEvent(tx, runId, { kind: 'state', summary: `Started by ${actor.name}: ${spec.fault.kind} on ${where} for ${spec.durationS} s`, actorName: actor.name, toState: 'pending', data: { targets: preview.selected.length, warnings: [...platform.warnings, ...preview.warnings] } });
  if (freezeOverrideReason !== undefined) {
    await recordRunEvent(tx, runId, { kind: 'override', summary: `Freeze override by ${actor.name}: ${freezeOverrideReason}${freezes.length ? ` (inside the ${freezes.map(freezeWords).join(' and the ')})` : ''}`, actorName: actor.name, data: { override: 'freeze', reason: freezeOverrideReason } });
  }
  if (guardOverrideReason !== undefined) {
    await recordRunEvent(tx, runId, { kind: 'override', summary: `Guard override by ${actor.name}: ${guardOverrideReason}${holds.length ? ` (${guardWords(holds)})` : ''}`, actorName: actor.name, data: { override: 'guard', reason: guardOverrideReason } });
  }
  await ctx.audit({
    action: 'experiment.run.start',
    targetType: 'experiment_run',
    targetId: runId,
    targetName: `${experiment.name} #${number}`,
    after: { experimentId, number, targets: preview.selected.map((t) => t.name), guardOverrideReason: guardOverrideReason ?? null, freezeOverrideReason: freezeOverrideReason ?? null },
  });
  await announceRun(ctx, run);
  return { id: runId, number, version: run.version, targets: preview.selected.length, warnings: [...platform.warnings, ...preview.warnings] };
}
