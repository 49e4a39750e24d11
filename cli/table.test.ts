import { describe, expect, it } from 'vitest';
import { clean, paint, styleFor, table, type Column } from './table';

const plain = { color: false };
type Row = { id: string; state: string; pct: number | null };
const cols: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'STATE', value: (r) => r.state },
  { header: 'CANARY', value: (r) => (r.pct === null ? null : `${r.pct}%`) },
];

describe('table', () => {
  it('aligns columns by the widest cell, two spaces apart, no trailing spaces', () => {
    const out = table(cols, [{ id: 'a', state: 'progressing', pct: 5 }, { id: 'long-id', state: 'paused', pct: null }], plain);
    expect(out).toBe(['ID       STATE        CANARY', 'a        progressing  5%', 'long-id  paused       —', ''].join('\n'));
  });

  it('cleans control characters from server values (no terminal escapes) and cuts long ones', () => {
    expect(clean('evil\u001b[31mred\u0007\nname')).toBe('evil [31mred  name');
    expect(clean('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    const out = table(cols, [{ id: '\u001b]0;pwned\u0007', state: 'ok', pct: 1 }], plain);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u0007');
  });

  it('colours only on a terminal without NO_COLOR, and colour never changes the alignment', () => {
    expect(styleFor(false, {})).toEqual({ color: false });
    expect(styleFor(true, { NO_COLOR: '1' })).toEqual({ color: false });
    expect(styleFor(true, { TERM: 'dumb' })).toEqual({ color: false });
    expect(styleFor(true, {})).toEqual({ color: true });
    expect(paint(plain, 'red', 'x')).toBe('x');
    const coloured = table(cols, [{ id: 'a', state: 'paused', pct: 1 }], { color: true });
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(table(cols, [{ id: 'a', state: 'paused', pct: 1 }], plain));
    expect(coloured).toContain('\u001b[1m');
  });
});
