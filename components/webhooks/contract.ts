// The shapes of `webhooks.*` answers the console reads, straight from the router's types.
import type { RouterOutputs } from '@/components/trpc/client';

export type WebhookRow = RouterOutputs['webhooks']['list'][number];
export type DeliveryRow = RouterOutputs['webhooks']['deliveries']['items'][number];
