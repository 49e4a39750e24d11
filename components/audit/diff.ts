// What an audit row changed, field by field: the path of each changed leaf ("document.weight.
// cpuCoefficient", "config.services[0].backend") with its value before and after. Pure.

export interface DiffLine {
  /** Where, in JSON reading order: `a.b[2].c`; `value` when the whole record is one value. */
  path: string;
  before?: string;
  after?: string;
  kind: 'added' | 'removed' | 'changed';
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const present = (v: unknown) => v !== null && v !== undefined;

/** A value on one short line: text as is, "" for empty text, JSON (cut at 80 characters) for the rest. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'string') return v === '' ? '""' : v.length > 120 ? `${v.slice(0, 119)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function walk(before: unknown, after: unknown, path: string, out: DiffLine[]): void {
  if (same(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const inB = Object.hasOwn(before, key);
      const inA = Object.hasOwn(after, key);
      if (!inB) out.push({ path: join(path, key), after: showValue(after[key]), kind: 'added' });
      else if (!inA) out.push({ path: join(path, key), before: showValue(before[key]), kind: 'removed' });
      else walk(before[key], after[key], join(path, key), out);
    }
    return;
  }
  // Lists of the same length are compared entry by entry; otherwise the list changed as a whole.
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((b, i) => walk(b, after[i], join(path, i), out));
    return;
  }
  out.push({ path: path || 'value', before: showValue(before), after: showValue(after), kind: 'changed' });
}

export function auditDiff(before: unknown, after: unknown): DiffLine[] {
  if (!present(before) && !present(after)) return [];
  // A created or deleted record: its top-level fields, each on one line.
  if (!present(before) && isRecord(after)) return Object.entries(after).map(([path, v]) => ({ path, after: showValue(v), kind: 'added' }));
  if (!present(after) && isRecord(before)) return Object.entries(before).map(([path, v]) => ({ path, before: showValue(v), kind: 'removed' }));
  if (!present(before)) return [{ path: 'value', after: showValue(after), kind: 'added' }];
  if (!present(after)) return [{ path: 'value', before: showValue(before), kind: 'removed' }];
  const out: DiffLine[] = [];
  walk(before, after, '', out);
  return out;
}

/** The whole recorded document, indented, for the "whole record" disclosure. */
export function wholeRecord(v: unknown): string {
  return present(v) ? JSON.stringify(v, null, 2) : '∅';
}
