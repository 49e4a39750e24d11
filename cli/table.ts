// Output for people: aligned columns, colour only on a terminal that wants it (NO_COLOR), and every
// value from the server cleaned of control characters (a name must not move the cursor or change
// the terminal's colours) and cut to a readable width.

export type Cell = string | number | boolean | null | undefined;

// C0 and C1 controls, DEL, and the escape that starts terminal sequences.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A server value made safe to print on one line: controls become spaces, at most `max` characters. */
export function clean(value: Cell, max = 60): string {
  if (value === null || value === undefined || value === '') return '—';
  const s = String(value).replace(CONTROL, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export interface Style {
  color: boolean;
}

/** Colour when stdout is a terminal and NO_COLOR is unset (https://no-color.org: any non-empty value). */
export function styleFor(isTTY: boolean, env: Record<string, string | undefined>): Style {
  return { color: isTTY && !env.NO_COLOR && env.TERM !== 'dumb' };
}

const CODES = { bold: [1, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22] } as const;
export function paint(style: Style, code: keyof typeof CODES, text: string): string {
  if (!style.color) return text;
  const [on, off] = CODES[code];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

const STATE_COLOURS: Record<string, keyof typeof CODES> = {
  succeeded: 'green',
  completed: 'green',
  pass: 'green',
  healthy: 'green',
  progressing: 'yellow',
  promoting: 'yellow',
  paused: 'yellow',
  running: 'yellow',
  inconclusive: 'yellow',
  degraded: 'yellow',
  aborted: 'red',
  rolled_back: 'red',
  fail: 'red',
  failed: 'red',
  engaged: 'red',
  unhealthy: 'red',
};
/** A state word in its colour (the text is the same with or without colour). */
export function stateColour(style: Style, state: string, text: string = state): string {
  const c = STATE_COLOURS[state];
  return c ? paint(style, c, text) : text;
}

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** Colour the padded cell (by its raw value), e.g. states. */
  colour?: (row: T, padded: string) => string;
  max?: number;
}

/** Rows under a header, columns aligned by the widest cell, two spaces apart; no trailing spaces. */
export function table<T>(columns: readonly Column<T>[], rows: readonly T[], style: Style): string {
  const cells = rows.map((r) => columns.map((c) => clean(c.value(r), c.max ?? 60)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (parts: string[]) => parts.join('  ').trimEnd();
  const head = line(columns.map((c, i) => paint(style, 'bold', i === columns.length - 1 ? c.header : c.header.padEnd(widths[i]!))));
  const body = cells.map((row, r) =>
    line(
      row.map((text, i) => {
        const padded = i === columns.length - 1 ? text : text.padEnd(widths[i]!);
        const col = columns[i]!;
        return col.colour ? col.colour(rows[r]!, padded) : padded;
      }),
    ),
  );
  return [head, ...body].join('\n') + '\n';
}

/** "Key: value" lines, keys aligned. */
export function fields(pairs: ReadonlyArray<readonly [string, Cell]>, style: Style, max = 200): string {
  const w = Math.max(0, ...pairs.map(([k]) => k.length + 1));
  return pairs.map(([k, v]) => `${paint(style, 'bold', `${k}:`.padEnd(w))}  ${clean(v, max)}`).join('\n') + '\n';
}
