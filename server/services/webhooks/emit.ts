// emitWebhookEvent: inside the caller's transaction, one WebhookDelivery per active subscription
// listening to the event, and its delivery job. A rolled-back command therefore sends nothing,
// and a committed one cannot lose its deliveries (the job is a row of the same commit).
import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '../../db/client';
import { enqueueJob } from '../../db/job-queue';
import { webhookBody, type WebhookFormat } from '../../domain/webhooks/bodies';
import { webhookDataSchemas, webhookSummary, type WebhookData, type WebhookEnvelope, type WebhookEventName } from '../../domain/webhooks/events';

/**
 * Tries per delivery (graphile-worker's backoff: about e^n seconds after the n-th failure, so the
 * last of 8 tries comes roughly 30 minutes after the first).
 */
export const WEBHOOK_MAX_ATTEMPTS = 8;

export const deliveryJobKey = (deliveryId: string) => `webhook:${deliveryId}`;

/** Stores one delivery of `event` to one subscription and enqueues its job; returns the delivery id. */
export async function queueDelivery<E extends WebhookEventName>(
  tx: DbOrTx,
  sub: { id: string; format: WebhookFormat },
  event: E,
  data: WebhookData<E>,
  occurredAt: Date,
): Promise<string> {
  const id = randomUUID();
  const envelope: WebhookEnvelope<E> = { id, event, occurredAt: occurredAt.toISOString(), summary: webhookSummary(event, data), data };
  const body = webhookBody(sub.format, envelope);
  await tx.webhookDelivery.create({ data: { id, subscriptionId: sub.id, event, payload: body } });
  await enqueueJob(tx, 'webhook_deliver', { deliveryId: id }, { jobKey: deliveryJobKey(id), maxAttempts: WEBHOOK_MAX_ATTEMPTS });
  return id;
}

/**
 * Queues `event` to every active subscription that listens to it, in `tx`. `data` may be a function
 * that builds it (called only when someone listens). The data is validated
 * against the event's schema first: a malformed event fails its command rather than reaching a receiver.
 */
export async function emitWebhookEvent<E extends Exclude<WebhookEventName, 'test'>>(
  tx: DbOrTx,
  event: E,
  data: WebhookData<E> | (() => Promise<WebhookData<E>>),
  occurredAt: Date = new Date(),
): Promise<number> {
  const subs = await tx.webhookSubscription.findMany({ where: { deletedAt: null, active: true, events: { has: event } }, select: { id: true, format: true }, orderBy: { createdAt: 'asc' } });
  // Nobody listens: the data (which may cost reads) is not even built.
  if (subs.length === 0) return 0;
  const built = typeof data === 'function' ? await data() : data;
  const checked = webhookDataSchemas[event].parse(built) as WebhookData<E>;
  for (const sub of subs) await queueDelivery(tx, sub, event, checked, occurredAt);
  return subs.length;
}
