// What an admin submits for a webhook subscription: a name, where to send, which events, which body.
import { z } from 'zod';
import { name, uuid, version } from '../inputs';
import { SUBSCRIBABLE_EVENTS } from './events';
import { WEBHOOK_FORMATS } from './bodies';

export const MAX_WEBHOOK_URL = 2000;

/** Why a URL cannot receive webhooks, in words; null when it can. */
export function webhookUrlProblem(raw: string): string | null {
  if (raw.length > MAX_WEBHOOK_URL) return `At most ${MAX_WEBHOOK_URL} characters`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'Enter a full URL, such as https://hooks.example.com/switchback';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Only http:// and https:// URLs can receive webhooks';
  if (u.username || u.password) return 'Do not put credentials in the URL: the receiver verifies the signature instead';
  if (!u.hostname) return 'The URL has no host';
  return null;
}

export const webhookUrl = () =>
  z
    .string({ error: 'Enter a URL' })
    .max(MAX_WEBHOOK_URL, `At most ${MAX_WEBHOOK_URL} characters`)
    .trim()
    .min(1, 'Enter a URL')
    .superRefine((s, ctx) => {
      const p = webhookUrlProblem(s);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    });

export const webhookEvents = () =>
  z
    .array(z.enum(SUBSCRIBABLE_EVENTS, { error: 'Unknown event' }))
    .max(SUBSCRIBABLE_EVENTS.length)
    .min(1, 'Choose at least one event')
    .transform((a) => [...new Set(a)]);

export const webhookFields = {
  name: name(),
  url: webhookUrl(),
  events: webhookEvents(),
  format: z.enum(WEBHOOK_FORMATS, { error: 'Choose json or slack' }).default('json'),
  active: z.boolean().default(true),
};

export const createWebhookInput = z.object(webhookFields).strict();
export const updateWebhookInput = z.object({ id: uuid(), version: version(), ...webhookFields }).strict();
export const webhookRef = z.object({ id: uuid(), version: version() }).strict();
export const webhookId = z.object({ id: uuid() }).strict();
export const webhookDeliveriesInput = z.object({ id: uuid(), limit: z.number().int().min(1).max(200).default(50) }).strict();
