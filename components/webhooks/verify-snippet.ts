// How a receiver verifies a delivery: shown with the secret, and in the README. Node, no library.
export const VERIFY_SNIPPET = `const { createHmac, timingSafeEqual } = require('node:crypto');
// rawBody: the request body exactly as received (a string), before any JSON parsing.
function verify(secret, header, rawBody, toleranceS = 300) {
  const t = /(?:^|,)t=(\\d+)/.exec(header ?? '')?.[1];
  const sigs = [...(header ?? '').matchAll(/(?:^|,)v1=([0-9a-f]{64})/g)].map((m) => m[1]);
  if (!t || Math.abs(Date.now() / 1000 - Number(t)) > toleranceS) return false; // replay or clock off
  const mac = createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest();
  return sigs.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), mac));
}`;
