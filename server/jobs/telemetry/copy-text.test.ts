import { describe, expect, it } from 'vitest';
import { arrayLiteral, copyField } from './copy-text';

describe('COPY text fields', () => {
  it('writes NULL as \\N and escapes what would end a field or a line', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('plain "quoted" ✓')).toBe('plain "quoted" ✓');
  });

  it('writes numbers and booleans as PostgreSQL reads them back', () => {
    expect([0, -1.5, 1e-7, 1e21, NaN, Infinity, -Infinity].map(copyField)).toEqual(['0', '-1.5', '1e-7', '1e+21', 'NaN', 'Infinity', '-Infinity']);
    expect([true, false].map(copyField)).toEqual(['t', 'f']);
  });

  it('quotes array elements, so a comma, brace or quote stays inside its element', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral([0.1, 2])).toBe('{0.1,2}');
    expect(arrayLiteral([true, false])).toBe('{t,f}');
    expect(arrayLiteral(['a,b', '{c}', 'd"e', 'f\\g'])).toBe('{"a,b","{c}","d\\"e","f\\\\g"}');
    expect(copyField(arrayLiteral(['f\\g']))).toBe('{"f\\\\\\\\g"}');
  });
});
