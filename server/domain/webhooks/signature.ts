// The Switchback-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`
// (the scheme Stripe made familiar). The timestamp is inside the signed content, so a captured
// delivery cannot be replayed later than the receiver's tolerance, and the body cannot be altered
// without the secret. The HMAC itself is computed by the caller (server/services/webhooks/signing.ts
// with node:crypto): the domain stays pure.
export const SIGNATURE_HEADER = 'Switchback-Signature';
/** How far a receiver accepts a signature's timestamp from its own clock by default. */
export const DEFAULT_TOLERANCE_S = 300;

/** The exact string that is signed: the timestamp, a dot, the raw body bytes as sent. */
export const signedContent = (t: number, rawBody: string) => `${t}.${rawBody}`;

export const formatSignature = (t: number, hexHmac: string) => `t=${t},v1=${hexHmac}`;

export interface ParsedSignature {
  t: number;
  /** Every v1 value (a receiver accepts any: leaves room to sign with two secrets during a rotation). */
  v1: string[];
}

/** Parses the header; null when it is not of the documented shape. */
export function parseSignature(header: string | null | undefined): ParsedSignature | null {
  if (!header || header.length > 2000) return null;
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return null;
      t = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return null;
      v1.push(value);
    }
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

export type SignatureCheck = { ok: true; t: number } | { ok: false; reason: string };

/**
 * The verification procedure, with the HMAC and a constant-time comparison supplied:
 * 1. parse `t` and the `v1` values; 2. refuse a `t` further than `toleranceS` from now (a replay);
 * 3. compute HMAC-SHA256(secret, `${t}.${rawBody}`) in hex; 4. accept if it equals one `v1`.
 */
export function checkSignature(
  header: string | null | undefined,
  rawBody: string,
  nowS: number,
  toleranceS: number,
  expectedHex: (content: string) => string,
  equal: (a: string, b: string) => boolean,
): SignatureCheck {
  const parsed = parseSignature(header);
  if (!parsed) return { ok: false, reason: `The ${SIGNATURE_HEADER} header is missing or not of the form t=<seconds>,v1=<hex>` };
  if (Math.abs(nowS - parsed.t) > toleranceS) {
    return { ok: false, reason: `The signature's timestamp is ${Math.abs(nowS - parsed.t)} s from now, more than the ${toleranceS} s tolerated (a replay, or a clock off)` };
  }
  const expected = expectedHex(signedContent(parsed.t, rawBody));
  if (!parsed.v1.some((v) => equal(v, expected))) return { ok: false, reason: 'The signature does not match the body (altered, or signed with another secret)' };
  return { ok: true, t: parsed.t };
}
