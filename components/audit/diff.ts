// A compact before → after for an audit row: only what changed, one line per field.

export interface DiffLine {
  key: string;
  before?: string;
  after?: string;
  kind: 'added' | 'removed' | 'changed';
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function show(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function auditDiff(before: unknown, after: unknown): DiffLine[] {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (!hasBefore && !hasAfter) return [];
  if (!isRecord(before) || !isRecord(after)) {
    // Not two objects (a created/deleted record, or scalar values): show the whole values.
    if (isRecord(after) && !hasBefore) return Object.entries(after).map(([key, v]) => ({ key, after: show(v), kind: 'added' }));
    if (isRecord(before) && !hasAfter) return Object.entries(before).map(([key, v]) => ({ key, before: show(v), kind: 'removed' }));
    if (same(before, after)) return [];
    return [{ key: 'value', ...(hasBefore ? { before: show(before) } : {}), ...(hasAfter ? { after: show(after) } : {}), kind: 'changed' }];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const lines: DiffLine[] = [];
  for (const key of keys) {
    const inB = key in before;
    const inA = key in after;
    if (inB && inA && same(before[key], after[key])) continue;
    if (!inB) lines.push({ key, after: show(after[key]), kind: 'added' });
    else if (!inA) lines.push({ key, before: show(before[key]), kind: 'removed' });
    else lines.push({ key, before: show(before[key]), after: show(after[key]), kind: 'changed' });
  }
  return lines;
}
