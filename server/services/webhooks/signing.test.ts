import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSignature } from '../../domain/webhooks/signature';
import { newWebhookSecret, signWebhook, verifySignature } from './signing';

const secret = 'whsec_test-secret';
const body = JSON.stringify({ id: 'd1', event: 'test', data: { message: 'hello' } });
const t = 1_800_000_000;
const at = (s: number) => new Date(s * 1000);

describe('Switchback-Signature', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")> — recomputable by a receiver without our code', () => {
    const header = signWebhook(secret, body, t);
    const hex = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${hex}`);
    expect(verifySignature(secret, header, body, at(t))).toEqual({ ok: true, t });
  });

  it('accepts a timestamp within the tolerance either side, refuses a replay outside it', () => {
    const header = signWebhook(secret, body, t);
    expect(verifySignature(secret, header, body, at(t + 300)).ok).toBe(true);
    expect(verifySignature(secret, header, body, at(t - 300)).ok).toBe(true);
    const late = verifySignature(secret, header, body, at(t + 301));
    expect(late).toMatchObject({ ok: false });
    expect(!late.ok && late.reason).toContain('301 s from now');
    expect(verifySignature(secret, header, body, at(t + 3600), 7200).ok).toBe(true);
  });

  it('refuses a tampered body, another secret, and a malformed header', () => {
    const header = signWebhook(secret, body, t);
    const tampered = verifySignature(secret, header, body.replace('hello', 'hellp'), at(t));
    expect(tampered).toMatchObject({ ok: false });
    expect(!tampered.ok && tampered.reason).toContain('does not match');
    expect(verifySignature('whsec_other', header, body, at(t)).ok).toBe(false);
    // The timestamp is signed too: moving it forward breaks the signature.
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, at(t)).ok).toBe(false);
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=x,v1=${'a'.repeat(64)}`, `t=${t},v1=zz`, 'garbage']) {
      expect(verifySignature(secret, bad, body, at(t)).ok).toBe(false);
    }
  });

  it('accepts any of several v1 values (room for two secrets during a rotation)', () => {
    const mine = signWebhook(secret, body, t).split('v1=')[1]!;
    expect(parseSignature(`t=${t},v1=${'0'.repeat(64)},v1=${mine}`)?.v1).toHaveLength(2);
    expect(verifySignature(secret, `t=${t},v1=${'0'.repeat(64)},v1=${mine}`, body, at(t)).ok).toBe(true);
  });

  it('makes a new random secret each time', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
