// Webhook subscriptions (admin): create (the secret is generated and shown once), edit with
// compare-and-set, rotate the secret (shown once again), remove (soft: the delivery log stays
// readable until the row is purged), send a test. Reads never return the secret.
import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client';
import type { WebhookSubscription } from '../../db/generated/client';
import { createWebhookInput, updateWebhookInput, webhookDeliveriesInput, webhookId, webhookRef } from '../../domain/webhooks/subscription';
import { notFound } from '../../errors';
import { runCommand, type Actor } from '../command';
import { compareAndSet } from '../compare-and-set';
import { queueDelivery } from './emit';
import { newWebhookSecret } from './signing';

const label = (s: Pick<WebhookSubscription, 'name'>) => `Webhook "${s.name}"`;
const WEBHOOK_ACTIONS = ['webhook.create', 'webhook.update', 'webhook.rotate-secret', 'webhook.remove'] as const;

/** A subscription as every reader sees it: no secret, only its last four characters as a hint. */
export function publicSubscription(s: WebhookSubscription) {
  const { secret, ...rest } = s;
  return { ...rest, secretHint: `…${secret.slice(-4)}` };
}

/** What the audit keeps of a subscription (never the secret). */
const audited = (s: Pick<WebhookSubscription, 'name' | 'url' | 'events' | 'format' | 'active'>) => ({ name: s.name, url: s.url, events: s.events, format: s.format, active: s.active });

async function loadLive(q: DbOrTx, id: string): Promise<WebhookSubscription> {
  const s = await q.webhookSubscription.findUnique({ where: { id } });
  if (!s || s.deletedAt) throw notFound('That webhook');
  return s;
}

const currentOf = (q: DbOrTx, id: string) => async () => {
  const now = await q.webhookSubscription.findUnique({ where: { id } });
  return now && !now.deletedAt ? { version: now.version, values: audited(now) } : null;
};

export async function listWebhooks(db: Db) {
  const subs = await db.webhookSubscription.findMany({ where: { deletedAt: null }, orderBy: { name: 'asc' } });
  const last = await db.webhookDelivery.groupBy({ by: ['subscriptionId', 'state'], where: { subscriptionId: { in: subs.map((s) => s.id) } }, _count: { _all: true }, _max: { createdAt: true } });
  return subs.map((s) => {
    const mine = last.filter((l) => l.subscriptionId === s.id);
    const count = (state: string) => mine.find((l) => l.state === state)?._count._all ?? 0;
    const lastAt = mine.reduce<Date | null>((m, l) => (l._max.createdAt && (!m || l._max.createdAt > m) ? l._max.createdAt : m), null);
    return { ...publicSubscription(s), deliveries: { delivered: count('delivered'), failed: count('failed'), pending: count('pending'), lastAt } };
  });
}

export async function getWebhook(db: Db, input: z.input<typeof webhookId>) {
  const { id } = webhookId.parse(input);
  return publicSubscription(await loadLive(db, id));
}

/** The newest deliveries of a subscription, for the console's log (the body as sent included). */
export async function listDeliveries(db: Db, input: z.input<typeof webhookDeliveriesInput>) {
  const { id, limit } = webhookDeliveriesInput.parse(input);
  await loadLive(db, id);
  const items = await db.webhookDelivery.findMany({ where: { subscriptionId: id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  return { items };
}

export async function createWebhook(db: Db, actor: Actor, input: z.input<typeof createWebhookInput>) {
  const fields = createWebhookInput.parse(input);
  return runCommand(
    db,
    actor,
    async (ctx) => {
      const secret = newWebhookSecret();
      const s = await ctx.tx.webhookSubscription.create({ data: { ...fields, secret, createdById: actor.id, createdByName: actor.name } });
      await ctx.audit({ action: 'webhook.create', targetType: 'webhook', targetId: s.id, targetName: s.name, after: audited(s) });
      // The only time the secret leaves the server (and again after a rotation).
      return { ...publicSubscription(s), secret };
    },
    { input: fields },
  );
}

export async function updateWebhook(db: Db, actor: Actor, input: z.input<typeof updateWebhookInput>) {
  const { id, version, ...fields } = updateWebhookInput.parse(input);
  return runCommand(
    db,
    actor,
    async (ctx) => {
      const before = await loadLive(ctx.tx, id);
      await compareAndSet(ctx.tx, {
        row: { type: 'webhook', id, label: label(before) },
        expected: version,
        versionActions: WEBHOOK_ACTIONS,
        write: () => ctx.tx.webhookSubscription.updateMany({ where: { id, version, deletedAt: null }, data: { ...fields, version: { increment: 1 } } }),
        current: currentOf(ctx.tx, id),
      });
      const after = await ctx.tx.webhookSubscription.findUniqueOrThrow({ where: { id } });
      await ctx.audit({ action: 'webhook.update', targetType: 'webhook', targetId: id, targetName: after.name, before: audited(before), after: audited(after) });
      return publicSubscription(after);
    },
    { input: fields },
  );
}

/** A new secret, shown once; deliveries signed from now on use it (retries of older ones too). */
export async function rotateWebhookSecret(db: Db, actor: Actor, input: z.input<typeof webhookRef>) {
  const { id, version } = webhookRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadLive(ctx.tx, id);
    const secret = newWebhookSecret();
    await compareAndSet(ctx.tx, {
      row: { type: 'webhook', id, label: label(before) },
      expected: version,
      versionActions: WEBHOOK_ACTIONS,
      write: () => ctx.tx.webhookSubscription.updateMany({ where: { id, version, deletedAt: null }, data: { secret, version: { increment: 1 } } }),
      current: currentOf(ctx.tx, id),
    });
    const after = await ctx.tx.webhookSubscription.findUniqueOrThrow({ where: { id } });
    await ctx.audit({ action: 'webhook.rotate-secret', targetType: 'webhook', targetId: id, targetName: after.name });
    return { ...publicSubscription(after), secret };
  });
}

export async function removeWebhook(db: Db, actor: Actor, input: z.input<typeof webhookRef>) {
  const { id, version } = webhookRef.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const before = await loadLive(ctx.tx, id);
    await compareAndSet(ctx.tx, {
      row: { type: 'webhook', id, label: label(before) },
      expected: version,
      versionActions: WEBHOOK_ACTIONS,
      write: () => ctx.tx.webhookSubscription.updateMany({ where: { id, version, deletedAt: null }, data: { deletedAt: new Date(), active: false, version: { increment: 1 } } }),
      current: currentOf(ctx.tx, id),
    });
    await ctx.audit({ action: 'webhook.remove', targetType: 'webhook', targetId: id, targetName: before.name, before: audited(before) });
    return { id };
  });
}

/** "Send test": one `test` delivery to this subscription (active or not), queued like any other. */
export async function testWebhook(db: Db, actor: Actor, input: z.input<typeof webhookId>) {
  const { id } = webhookId.parse(input);
  return runCommand(db, actor, async (ctx) => {
    const s = await loadLive(ctx.tx, id);
    const deliveryId = await queueDelivery(ctx.tx, s, 'test', { subscriptionId: s.id, subscription: s.name, message: `Sent by ${actor.name} from Switchback to check this receiver.` }, new Date());
    await ctx.audit({ action: 'webhook.test', targetType: 'webhook', targetId: id, targetName: s.name, after: { deliveryId } });
    return { deliveryId };
  });
}
