// Freeze windows (SPEC §6.3): one-off or recurring (5-field UTC cron + length) windows in which
// experiment starts and rollout traffic increases are refused unless an approver overrides with a
// reason. Approvers manage them; everyone sees them (status banner, timeline). Removal is soft
// (deletedAt) so the timeline keeps the windows that were.
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client';
import type { FreezeWindow } from '../../db/generated/client';
import { freeText, name, text, timestamp, uuid, version } from '../../domain/inputs';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor } from '../command';
import { compareAndSet } from '../compare-and-set';
import { activeFreezes, cronTimesAfter, parseCron, type ActiveFreeze } from './domain-stand-ins';

const MAX_DURATION_MIN = 7 * 24 * 60;

// STAND-IN for server/domain/safety/freeze.ts freezeWindowSchema (branch h-domain): same shape.
export const freezeWindowSchema = z
  .object({
    name: name(120),
    reason: freeText(2000).refine((s) => s.trim().length > 0, 'Give a reason (people see it when they are refused)'),
    kind: z.enum(['one_off', 'recurring'], { error: 'Kind: one_off or recurring' }),
    /** one_off: the window; recurring: optional bounds of when the recurrence applies. */
    startsAt: timestamp().nullable().default(null),
    endsAt: timestamp().nullable().default(null),
    cron: text(120).nullable().default(null),
    durationMin: z.number({ error: 'Length: expected minutes' }).int('Length: whole minutes').min(1, 'Length: at least 1 minute').max(MAX_DURATION_MIN, `Length: at most ${MAX_DURATION_MIN} minutes (a week)`).nullable().default(null),
    appliesToRollouts: z.boolean().default(true),
    appliesToExperiments: z.boolean().default(true),
  })
  .strict()
  .superRefine((w, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!w.appliesToRollouts && !w.appliesToExperiments) issue('appliesToRollouts', 'A window applies to rollouts, experiments or both');
    if (w.startsAt && w.endsAt && w.endsAt <= w.startsAt) issue('endsAt', 'The window must end after it starts');
    if (w.kind === 'one_off') {
      if (!w.startsAt) issue('startsAt', 'A one-off window needs a start');
      if (!w.endsAt) issue('endsAt', 'A one-off window needs an end');
      if (w.cron !== null) issue('cron', 'A one-off window has no cron expression');
      if (w.durationMin !== null) issue('durationMin', 'A one-off window has no length of its own (it is start to end)');
    } else {
      if (!w.cron) issue('cron', 'A recurring window needs a cron expression (UTC) of its starts');
      else {
        const p = parseCron(w.cron);
        if (!p.ok) issue('cron', p.error);
      }
      if (w.durationMin === null) issue('durationMin', 'A recurring window needs a length in minutes');
    }
  });
export type FreezeWindowInput = z.output<typeof freezeWindowSchema>;

export const createFreezeInput = z.object({ window: freezeWindowSchema }).strict();
export const updateFreezeInput = z.object({ id: uuid(), version: version(), window: freezeWindowSchema }).strict();
export const freezeRef = z.object({ id: uuid(), version: version() }).strict();

const utc = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
const label = (w: Pick<FreezeWindow, 'name'>) => `Freeze window "${w.name}"`;
const FREEZE_ACTIONS = ['safety.freeze.create', 'safety.freeze.update', 'safety.freeze.remove'] as const;

/** "freeze window “Black Friday” (no changes during peak) until 2026-11-28 06:00 UTC" */
export function freezeWords(f: ActiveFreeze<FreezeWindow>): string {
  return `freeze window “${f.window.name}” (${f.window.reason}) until ${utc(f.endsAt)}`;
}

export const liveWindows = (q: DbOrTx) => q.freezeWindow.findMany({ where: { deletedAt: null }, orderBy: { createdAt: 'asc' } });

/** The active window applying to `scope` at `at` that ends last (the one a refusal names), or null. */
export async function activeFreezeFor(q: DbOrTx, scope: 'rollouts' | 'experiments', at: Date = new Date()): Promise<ActiveFreeze<FreezeWindow> | null> {
  const active = activeFreezes(await liveWindows(q), at, scope);
  return active.sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime())[0] ?? null;
}

/** Refuses `what` inside an active window for `scope`, naming the window and its end. */
export async function assertNotFrozen(q: DbOrTx, scope: 'rollouts' | 'experiments', what: string, at: Date = new Date()): Promise<void> {
  const f = await activeFreezeFor(q, scope, at);
  if (f) throw new AppError('CONFLICT', `${what} refused: inside the ${freezeWords(f)}. An approver may override it with a reason.`, undefined, { freezeId: f.window.id, endsAt: f.endsAt.toISOString() });
}

export async function listFreezes(db: Db) {
  const now = new Date();
  const windows = await liveWindows(db);
  const active = new Map([...activeFreezes(windows, now, 'rollouts'), ...activeFreezes(windows, now, 'experiments')].map((f) => [f.window.id, f]));
  return windows.map((w) => {
    const a = active.get(w.id);
    const next = w.kind === 'recurring' && w.cron ? cronTimesAfter(w.cron, now, 3).filter((t) => (!w.startsAt || t >= w.startsAt) && (!w.endsAt || t < w.endsAt)) : w.startsAt && w.startsAt > now ? [w.startsAt] : [];
    return { ...w, activeNow: a ? { startsAt: a.startsAt, endsAt: a.endsAt } : null, nextStarts: next };
  });
}

const columns = (w: FreezeWindowInput) => ({ ...w });

export async function createFreeze(db: Db, actor: Actor, input: z.input<typeof createFreezeInput>) {
  const { window } = createFreezeInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const row = await ctx.tx.freezeWindow.create({ data: { ...columns(window), createdById: actor.id, createdByName: actor.name } });
    await ctx.audit({ action: 'safety.freeze.create', targetType: 'freeze', targetId: row.id, targetName: row.name, after: window });
    await ctx.emit('safety.changed', {});
    return { id: row.id, version: row.version };
  });
}

async function loadLive(db: DbOrTx, id: string): Promise<FreezeWindow> {
  const w = await db.freezeWindow.findUnique({ where: { id } });
  if (!w || w.deletedAt) throw notFound('That freeze window');
  return w;
}

const currentOf = (q: DbOrTx, id: string) => async () => {
  const now = await q.freezeWindow.findUnique({ where: { id } });
  return now && !now.deletedAt ? { version: now.version, values: { name: now.name, kind: now.kind, startsAt: now.startsAt, endsAt: now.endsAt, cron: now.cron, durationMin: now.durationMin } } : null;
};

export async function updateFreeze(db: Db, actor: Actor, input: z.input<typeof updateFreezeInput>) {
  const { id, version, window } = updateFreezeInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadLive(ctx.tx, id);
    await compareAndSet(ctx.tx, {
      row: { type: 'freeze', id, label: label(before) },
      expected: version,
      versionActions: FREEZE_ACTIONS,
      write: () => ctx.tx.freezeWindow.updateMany({ where: { id, version, deletedAt: null }, data: { ...columns(window), version: { increment: 1 } } }),
      current: currentOf(ctx.tx, id),
    });
    const after = await ctx.tx.freezeWindow.findUniqueOrThrow({ where: { id } });
    await ctx.audit({ action: 'safety.freeze.update', targetType: 'freeze', targetId: id, targetName: after.name, before, after: window });
    await ctx.emit('safety.changed', {});
    return { id, version: after.version };
  });
}

export async function removeFreeze(db: Db, actor: Actor, input: z.input<typeof freezeRef>) {
  const { id, version } = freezeRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadLive(ctx.tx, id);
    await compareAndSet(ctx.tx, {
      row: { type: 'freeze', id, label: label(before) },
      expected: version,
      versionActions: FREEZE_ACTIONS,
      write: () => ctx.tx.freezeWindow.updateMany({ where: { id, version, deletedAt: null }, data: { deletedAt: new Date(), version: { increment: 1 } } }),
      current: currentOf(ctx.tx, id),
    });
    await ctx.audit({ action: 'safety.freeze.remove', targetType: 'freeze', targetId: id, targetName: before.name, before });
    await ctx.emit('safety.changed', {});
    return { id };
  });
}
