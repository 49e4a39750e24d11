// The webhook_deliver job: POSTs one delivery, signed at the moment of sending, and records the
// attempt (status and the start of the answer, or the error in words). A 2xx answer delivers it;
// anything else throws so graphile-worker tries again with its exponential backoff, until the
// last try (WEBHOOK_MAX_ATTEMPTS), which marks the delivery failed instead of throwing.
// No transaction is held while the receiver answers: the row is written after the request.
import type { Db } from '../../db/client';
import { SIGNATURE_HEADER } from '../../domain/webhooks/signature';
import { WEBHOOK_MAX_ATTEMPTS } from './emit';
import { signWebhook } from './signing';

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_CHARS = 2000;

/** The start of an answer's body (at most `max` characters), reading no more of it than that. */
async function readStart(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, max);
}

/** A failed request in words (no stack): "timed out after 10 s", "connection refused (ECONNREFUSED)". */
function errorWords(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `No answer within ${WEBHOOK_TIMEOUT_MS / 1000} s (timed out)`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: 'Connection refused: nothing listens at that address',
    ENOTFOUND: 'The host name does not resolve (DNS)',
    ECONNRESET: 'The receiver closed the connection',
    EAI_AGAIN: 'The host name could not be resolved now (DNS)',
    CERT_HAS_EXPIRED: "The receiver's TLS certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "The receiver's TLS certificate is self-signed",
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  const message = cause?.message ?? (err instanceof Error ? err.message : String(err));
  return `The request failed: ${message}`.slice(0, MAX_RESPONSE_CHARS);
}

export interface DeliveryOutcome {
  deliveryId: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  status: number | null;
}

export async function deliverWebhook(db: Db, p: { deliveryId: string }, opts: { maxAttempts?: number; now?: () => Date } = {}): Promise<DeliveryOutcome> {
  const maxAttempts = opts.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS;
  const now = opts.now ?? (() => new Date());
  const d = await db.webhookDelivery.findUnique({ where: { id: p.deliveryId }, include: { subscription: true } });
  if (!d) return { deliveryId: p.deliveryId, state: 'failed', attempts: 0, status: null };
  if (d.state !== 'pending') return { deliveryId: d.id, state: d.state, attempts: d.attempts, status: d.responseStatus };
  const attempts = d.attempts + 1;
  if (d.subscription.deletedAt) {
    await db.webhookDelivery.update({ where: { id: d.id }, data: { state: 'failed', response: 'Not sent: the subscription was removed', lastAttemptAt: now() } });
    return { deliveryId: d.id, state: 'failed', attempts: d.attempts, status: null };
  }
  const body = JSON.stringify(d.payload);
  const sentAt = now();
  let status: number | null = null;
  let response: string;
  try {
    const res = await fetch(d.subscription.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchback-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(d.subscription.secret, body, Math.floor(sentAt.getTime() / 1000)),
        'switchback-event': d.event,
        'switchback-delivery': d.id,
      },
      body,
      // A redirect is an answer, not a new address to send signed data to.
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    status = res.status;
    response = await readStart(res, MAX_RESPONSE_CHARS).catch((err: unknown) => `(the answer's body could not be read: ${errorWords(err)})`);
  } catch (err) {
    response = errorWords(err);
  }
  const ok = status !== null && status >= 200 && status < 300;
  const last = attempts >= maxAttempts;
  const state = ok ? 'delivered' : last ? 'failed' : 'pending';
  const at = now();
  await db.webhookDelivery.update({
    where: { id: d.id },
    data: { attempts, responseStatus: status, response: response.slice(0, MAX_RESPONSE_CHARS), lastAttemptAt: at, state, deliveredAt: ok ? at : null },
  });
  if (state === 'pending') {
    // graphile-worker schedules the next try with its backoff; the words land in its last_error.
    throw new Error(`Webhook delivery ${d.id} attempt ${attempts} of ${maxAttempts}: ${status === null ? response : `HTTP ${status}`}`);
  }
  return { deliveryId: d.id, state, attempts, status };
}
