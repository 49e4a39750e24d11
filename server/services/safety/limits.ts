// The admin's global chaos limits (SystemSetting `chaos.limits`): the blast radius no experiment
// may exceed whatever its own cap says. A missing row is the default; the first save creates it.
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client';
import { int32 } from '../../domain/inputs';
import { runCommand, type Actor } from '../command';
import { compareAndSet, staleVersionError } from '../compare-and-set';

export const LIMITS_KEY = 'chaos.limits';
export const DEFAULT_MAX_BLAST_RADIUS_PCT = 50;

export const chaosLimitsSchema = z
  .object({
    maxBlastRadiusPct: z
      .number({ error: 'Global maximum blast radius: expected a percentage' })
      .int('Global maximum blast radius: a whole percentage')
      .min(1, 'Global maximum blast radius: at least 1 %')
      .max(100, 'Global maximum blast radius: at most 100 %'),
  })
  .strict();
export type ChaosLimits = z.output<typeof chaosLimitsSchema>;

/** version 0 = never saved (the defaults apply); the first save sends 0. */
export const setLimitsInput = z.object({ version: int32(0), limits: chaosLimitsSchema }).strict();

export async function chaosLimits(db: DbOrTx): Promise<ChaosLimits & { version: number; updatedAt: Date | null }> {
  const row = await db.systemSetting.findUnique({ where: { key: LIMITS_KEY } });
  const parsed = chaosLimitsSchema.safeParse(row?.value);
  return { maxBlastRadiusPct: parsed.success ? parsed.data.maxBlastRadiusPct : DEFAULT_MAX_BLAST_RADIUS_PCT, version: row?.version ?? 0, updatedAt: row?.updatedAt ?? null };
}

const row = { type: 'setting', id: LIMITS_KEY, label: 'The global chaos limits' };

export async function setChaosLimits(db: Db, actor: Actor, input: z.input<typeof setLimitsInput>) {
  const { version, limits } = setLimitsInput.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await chaosLimits(ctx.tx);
    const current = async () => {
      const now = await ctx.tx.systemSetting.findUnique({ where: { key: LIMITS_KEY } });
      return now && { version: now.version, values: now.value as Record<string, unknown> };
    };
    if (version === 0) {
      // First save: an insert that loses to a concurrent first save is the same conflict in words.
      const inserted = await ctx.tx.$executeRaw`INSERT INTO "SystemSetting" (key, value, version, "updatedAt") VALUES (${LIMITS_KEY}, ${JSON.stringify(limits)}::jsonb, 1, now()) ON CONFLICT (key) DO NOTHING`;
      if (inserted === 0) {
        const now = await current();
        throw await staleVersionError(ctx.tx, { row, expected: 0, versionActions: ['safety.limits.set'] }, now ?? { version: 0, values: {} });
      }
    } else {
      await compareAndSet(ctx.tx, {
        row,
        expected: version,
        versionActions: ['safety.limits.set'],
        write: () => ctx.tx.systemSetting.updateMany({ where: { key: LIMITS_KEY, version }, data: { value: limits, version: { increment: 1 } } }),
        current,
      });
    }
    await ctx.audit({ action: 'safety.limits.set', targetType: 'setting', targetId: LIMITS_KEY, targetName: LIMITS_KEY, before: { maxBlastRadiusPct: before.maxBlastRadiusPct }, after: limits });
    await ctx.emit('safety.changed', {});
    return chaosLimits(ctx.tx);
  });
}
