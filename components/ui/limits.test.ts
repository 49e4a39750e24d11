import { describe, expect, it } from 'vitest';
import { lengthCounter, limitHint, TEXT_LIMITS } from './limits';

describe('text limits shown in forms', () => {
  it('says the limit in words', () => {
    expect(limitHint(TEXT_LIMITS.description)).toBe('at most 2,000 characters');
  });

  it('counts only when the text nears its limit', () => {
    expect(lengthCounter(10, 500)).toBeNull();
    expect(lengthCounter(400, 500)).toBe('400 / 500');
    expect(lengthCounter(2000, 2000)).toBe('2,000 / 2,000');
  });

  it('keeps every limit within the server’s range for its kind (names 30–100, descriptions 2,000, messages 500)', () => {
    for (const k of ['userName', 'displayName', 'serviceName', 'adapterName'] as const) expect(TEXT_LIMITS[k]).toBeLessThanOrEqual(100);
    expect(TEXT_LIMITS.description).toBe(2000);
    expect(TEXT_LIMITS.message).toBe(500);
  });
});
