import { createWebhookInput, updateWebhookInput, webhookDeliveriesInput, webhookId, webhookRef } from '../../domain/webhooks/subscription';
import {
  createWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  removeWebhook,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from '../../services/webhooks/subscriptions';
import { adminProcedure, router } from '../trpc';

/**
 * Webhook subscriptions, admin only — reads too: a URL may carry a receiver's routing token, and
 * the delivery log holds the bodies sent (rollout and halt details).
 */
export const webhooksRouter = router({
  list: adminProcedure.query(({ ctx }) => listWebhooks(ctx.db)),
  get: adminProcedure.input(webhookId).query(({ ctx, input }) => getWebhook(ctx.db, input)),
  deliveries: adminProcedure.input(webhookDeliveriesInput).query(({ ctx, input }) => listDeliveries(ctx.db, input)),
  create: adminProcedure.input(createWebhookInput).mutation(({ ctx, input }) => createWebhook(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(updateWebhookInput).mutation(({ ctx, input }) => updateWebhook(ctx.db, ctx.actor, input)),
  rotateSecret: adminProcedure.input(webhookRef).mutation(({ ctx, input }) => rotateWebhookSecret(ctx.db, ctx.actor, input)),
  remove: adminProcedure.input(webhookRef).mutation(({ ctx, input }) => removeWebhook(ctx.db, ctx.actor, input)),
  test: adminProcedure.input(webhookId).mutation(({ ctx, input }) => testWebhook(ctx.db, ctx.actor, input)),
});
