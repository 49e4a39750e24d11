// Signing and verifying Switchback-Signature with node:crypto (the procedure itself is in
// server/domain/webhooks/signature.ts). A receiver written in Node can copy verifySignature.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { checkSignature, DEFAULT_TOLERANCE_S, formatSignature, signedContent, type SignatureCheck } from '../../domain/webhooks/signature';

/** A subscription's secret: 32 random bytes, `whsec_` + base64url (shown once, at creation or rotation). */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const hmacHex = (secret: string, content: string) => createHmac('sha256', secret).update(content, 'utf8').digest('hex');

/** The header value for `rawBody` signed at `nowS` (unix seconds). */
export function signWebhook(secret: string, rawBody: string, nowS: number = Math.floor(Date.now() / 1000)): string {
  return formatSignature(nowS, hmacHex(secret, signedContent(nowS, rawBody)));
}

const equalHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Verifies a delivery as a receiver should: the header's timestamp within `toleranceS` of `now`
 * (refuses replays), and HMAC-SHA256(secret, "<t>.<raw body>") equal (constant time) to a v1 value.
 * `rawBody` is the request body exactly as received — parse JSON only after verifying.
 */
export function verifySignature(secret: string, header: string | null | undefined, rawBody: string, now: Date = new Date(), toleranceS: number = DEFAULT_TOLERANCE_S): SignatureCheck {
  return checkSignature(header, rawBody, Math.floor(now.getTime() / 1000), toleranceS, (content) => hmacHex(secret, content), equalHex);
}
