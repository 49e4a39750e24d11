import { describe, expect, it } from 'vitest';
// a test builds documents from the defaults the server seeds (allowed in eslint/boundaries.mjs)
import { defaultPolicies } from '@/server/domain/policy-defaults';
import { documentErrors, messageError } from './validate';

// The publish form checks with the server's own schema before sending; the words name the field
// and its range (they used to say "enter a number ()" for a unitless field).

const weight = defaultPolicies.weight;

describe('client-side policy validation', () => {
  it('a cleared or non-numeric field says which numbers are allowed, without empty brackets', () => {
    const errors = documentErrors('weight', { ...weight, coefficients: { ...weight.coefficients, cpu: '' }, base: 'abc' });
    expect(errors['coefficients.cpu']).toEqual(['CPU coefficient: enter a number between 0 and 1']);
    expect(errors.base).toEqual(['Base weight: enter a number between 1 and 1000']);
    expect(JSON.stringify(errors)).not.toContain('()');
  });

  it('-1 is refused before sending, next to its field; a valid document has no errors', () => {
    expect(documentErrors('weight', { ...weight, coefficients: { ...weight.coefficients, cpu: -1 } })).toEqual({ 'coefficients.cpu': ['CPU coefficient: at least 0'] });
    expect(documentErrors('watermark', { ...defaultPolicies.watermark, breakHoldS: 2.5 })).toEqual({ breakHoldS: ['Stage-break hold: enter a whole number between 0 and 600 s'] });
    expect(documentErrors('weight', weight)).toEqual({});
  });

  it('the publish message is required, in words', () => {
    expect(messageError('  ')).toEqual(['Say what changed and why']);
    expect(messageError('x'.repeat(501))).toEqual(['At most 500 characters']);
    expect(messageError('cpu matters more')).toBeUndefined();
  });
});
