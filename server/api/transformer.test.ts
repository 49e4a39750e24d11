import { describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { TRPCError } from '@trpc/server';
import { safeSuperjson } from './transformer';

const decode = (payload: unknown) => safeSuperjson.input.deserialize(payload);

function refusal(payload: unknown): TRPCError {
  try {
    decode(payload);
  } catch (err) {
    if (err instanceof TRPCError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('safeSuperjson input', () => {
  it('decodes what the tRPC client sends: dates, undefined, nested values, shared references', () => {
    const shared = ['a'];
    const value = { at: new Date('2030-01-01T00:00:00Z'), nothing: undefined, deep: { list: [new Date(0), 1] }, a: shared, b: shared };
    expect(decode(JSON.parse(JSON.stringify(superjson.serialize(value))))).toEqual(value);
    expect(decode(JSON.parse(JSON.stringify(superjson.serialize(undefined))))).toBeUndefined();
    expect(decode({ json: { x: 1 } })).toEqual({ x: 1 });
  });

  it('refuses a bigint: no procedure takes one', () => {
    expect(refusal(JSON.parse(JSON.stringify(superjson.serialize({ n: 1n })))).code).toBe('BAD_REQUEST');
  });

  it('refuses the meta that overflowed the stack, quickly and in words', () => {
    const err = refusal({ json: {}, meta: { values: 'x' } });
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/^The request's input is not valid superjson: /);
    expect(err.message).not.toMatch(/call stack/);
  });

  it('refuses deep, wide and exotic metas', () => {
    let deep: unknown = ['Date'];
    for (let i = 0; i < 100; i++) deep = ['undefined', { a: deep }];
    const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [String(i), ['Date']]));
    for (const meta of [{ values: deep }, { values: wide }, { values: { a: [['class', 'X']] } }, { values: { a: ['regexp'] } }, { values: { a: 'Date' } }, { referentialEqualities: 'x' }, { extra: 1 }, 'x', null]) {
      expect(refusal({ json: { a: 1 }, meta }).code).toBe('BAD_REQUEST');
    }
  });
});
