import { describe, expect, it } from 'vitest';
import { weightColor } from './weight-color';

describe('weightColor', () => {
  it('runs from red at 0 to green at 100, grey without telemetry', () => {
    expect(weightColor(0)).toMatch(/^hsl\(0,/);
    expect(weightColor(100)).toMatch(/^hsl\(120,/);
    expect(weightColor(150)).toBe(weightColor(100));
    expect(weightColor(null)).not.toBe(weightColor(0));
  });
});
