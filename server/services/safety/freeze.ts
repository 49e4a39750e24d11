// Freeze windows (SPEC §6.3): one-off or recurring (5-field UTC cron + length) windows in which
// experiment starts and rollout traffic increases are refused unless an approver overrides with a
// reason. Approvers manage them; everyone sees them (status banner, timeline). Removal is soft
// (deletedAt) so the timeline keeps the windows that were.
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client';
import type { FreezeWindow } from '../../db/generated/client';
import { uuid, version } from '../../domain/inputs';
import { activeFreezes, freezeWindowSchema, freezeWords as occurrenceWords, type FreezeApplies, type FreezeWindowInput, type FreezeWindowValue } from '../../domain/safety/freeze';
import { AppError, notFound } from '../../errors';
import { runCommand, type Actor } from '../command';
import { compareAndSet } from '../compare-and-set';
import { cronTimesAfter } from './domain-stand-ins';

export { freezeWindowSchema };

export const createFreezeInput = z.object({ window: freezeWindowSchema }).strict();
export const updateFreezeInput = z.object({ id: uuid(), version: version(), window: freezeWindowSchema }).strict();
export const freezeRef = z.object({ id: uuid(), version: version() }).strict();

const label = (w: Pick<FreezeWindow, 'name'>) => `Freeze window "${w.name}"`;
const FREEZE_ACTIONS = ['safety.freeze.create', 'safety.freeze.update', 'safety.freeze.remove'] as const;

/** A window in force now: the row, and this stretch's start and end (a floor when it never lets go). */
export interface ActiveFreeze {
  window: FreezeWindow;
  startsAt: Date;
  endsAt: Date;
  floor: boolean;
}

/** A stored window as the domain reads it (epoch ms). */
export const windowValue = (w: FreezeWindow): FreezeWindowValue => ({ ...w, startsAt: w.startsAt?.getTime() ?? null, endsAt: w.endsAt?.getTime() ?? null });

/** The windows in force at `at` for `scope` (the domain's activeFreezes over the rows), soonest end first. */
export function activeFreezesOf(rows: readonly FreezeWindow[], at: Date, scope: FreezeApplies): ActiveFreeze[] {
  const byId = new Map(rows.map((w) => [w.id, w]));
  return activeFreezes(rows.map(windowValue), at.getTime(), scope).map((o) => ({ window: byId.get(o.window.id)!, startsAt: new Date(o.from), endsAt: new Date(o.to), floor: o.floor === true }));
}

/** "freeze window “Black Friday” (no changes during peak) until 2026-11-28 06:00 UTC": the one wording (server/domain/safety/freeze.ts). */
export function freezeWords(f: ActiveFreeze): string {
  return occurrenceWords({ window: windowValue(f.window), from: f.startsAt.getTime(), to: f.endsAt.getTime(), ...(f.floor ? { floor: true as const } : {}) });
}

export const liveWindows = (q: DbOrTx) => q.freezeWindow.findMany({ where: { deletedAt: null }, orderBy: { createdAt: 'asc' } });

/** Every window in force for `scope` at `at`. */
export async function activeFreezesFor(q: DbOrTx, scope: FreezeApplies, at: Date = new Date()): Promise<ActiveFreeze[]> {
  return activeFreezesOf(await liveWindows(q), at, scope);
}

/** The active window applying to `scope` at `at` that ends last (the one a refusal names), or null. */
export async function activeFreezeFor(q: DbOrTx, scope: FreezeApplies, at: Date = new Date()): Promise<ActiveFreeze | null> {
  const active = await activeFreezesFor(q, scope, at);
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
  const active = new Map([...activeFreezesOf(windows, now, 'rollouts'), ...activeFreezesOf(windows, now, 'experiments')].map((f) => [f.window.id, f]));
  return windows.map((w) => {
    const a = active.get(w.id);
    const next = w.kind === 'recurring' && w.cron ? cronTimesAfter(w.cron, now, 3).filter((t) => (!w.startsAt || t >= w.startsAt) && (!w.endsAt || t < w.endsAt)) : w.startsAt && w.startsAt > now ? [w.startsAt] : [];
    return { ...w, activeNow: a ? { startsAt: a.startsAt, endsAt: a.endsAt } : null, nextStarts: next };
  });
}

/** The row's columns: the domain's epoch ms as timestamps. */
const columns = (w: FreezeWindowInput) => ({ ...w, startsAt: w.startsAt === null ? null : new Date(w.startsAt), endsAt: w.endsAt === null ? null : new Date(w.endsAt) });

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
