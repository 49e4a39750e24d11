import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { signWebhook } from '@/server/services/webhooks/signing';
import { VERIFY_SNIPPET } from './verify-snippet';

// The snippet people copy (secret dialog, README) is run as written, against real signatures.
type Verify = (secret: string, header: string | undefined, rawBody: string, toleranceS?: number) => boolean;
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the documented text itself is the point
const load = new Function('require', `${VERIFY_SNIPPET}; return verify;`) as (req: NodeJS.Require) => Verify;
const verify = load(createRequire(import.meta.url));

describe('the documented verification snippet', () => {
  const secret = 'whsec_snippet';
  const body = '{"id":"d","event":"test","data":{"message":"héllo"}}';
  it('accepts a fresh delivery and refuses a tampered, replayed, foreign or unsigned one', () => {
    const now = Math.floor(Date.now() / 1000);
    expect(verify(secret, signWebhook(secret, body, now), body)).toBe(true);
    expect(verify(secret, signWebhook(secret, body, now), body.replace('héllo', 'hello'))).toBe(false);
    expect(verify(secret, signWebhook(secret, body, now - 301), body)).toBe(false);
    expect(verify('whsec_other', signWebhook(secret, body, now), body)).toBe(false);
    expect(verify(secret, undefined, body)).toBe(false);
    expect(verify(secret, `t=${now},v1=${'0'.repeat(64)},${signWebhook(secret, body, now).split(',')[1]}`, body)).toBe(true);
  });
});
