import { describe, expect, it } from 'vitest';
import { breakerWeightNote } from './breaker-note';

describe('what the weight panel says about the breaker', () => {
  it('says nothing while the breaker is closed', () => {
    expect(breakerWeightNote('closed', 0)).toBeNull();
    expect(breakerWeightNote(null, null)).toBeNull();
  });

  it('half-open with no traffic: waiting for probes, and why the weight is high (issue 14: weight 97)', () => {
    const note = breakerWeightNote('half-open', 0)!;
    expect(note).toMatch(/^Breaker half-open, waiting for probe requests: none reached this instance in the latest tick\./);
    expect(note).toContain('With no load, nothing takes points off the weight');
    expect(note).toContain('the breaker does not change it');
    expect(breakerWeightNote('half-open', null)).toBe(note);
  });

  it('half-open with traffic: its requests are the probes', () => {
    expect(breakerWeightNote('half-open', 12.5)).toMatch(/^Breaker half-open: the requests it gets now are its probes/);
  });

  it('open: the weight is load-aware only', () => {
    expect(breakerWeightNote('open', 40)).toMatch(/^Breaker open\. .*the breaker does not change it\.$/);
  });
});
