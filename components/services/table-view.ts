import type { ServiceInstanceRow } from '@/server/services/telemetry/telemetry-read-service';

// The service page's instance table: sort and filters live in the URL (a colleague opens the same
// view). Pure: params ⇄ view, and view × rows → rows. Unit-tested.

export const SORT_KEYS = ['name', 'appVersion', 'zone', 'adminState', 'target', 'effective', 'cpu', 'p95', 'connections', 'rps', 'errorRate', 'degradation', 'breaker'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const STATE_FILTERS = ['', 'attention', 'degraded', 'breaker', 'down', 'not-ready'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface TableView {
  sort: SortKey;
  dir: 'asc' | 'desc';
  q: string;
  version: string;
  state: StateFilter;
}

export const DEFAULT_VIEW: TableView = { sort: 'name', dir: 'asc', q: '', version: '', state: '' };

interface ParamsLike {
  get(name: string): string | null;
}

export function viewFromParams(p: ParamsLike): TableView {
  const sort = p.get('sort');
  const state = p.get('state') ?? '';
  return {
    sort: (SORT_KEYS as readonly string[]).includes(sort ?? '') ? (sort as SortKey) : DEFAULT_VIEW.sort,
    dir: p.get('dir') === 'desc' ? 'desc' : 'asc',
    q: (p.get('q') ?? '').trim(),
    version: (p.get('version') ?? '').trim(),
    state: (STATE_FILTERS as readonly string[]).includes(state) ? (state as StateFilter) : '',
  };
}

/** The query string with the view (defaults left out), keeping the other parameters (the range). */
export function viewToQuery(v: TableView, keep?: URLSearchParams): string {
  const p = new URLSearchParams(keep);
  for (const k of ['sort', 'dir', 'q', 'version', 'state']) p.delete(k);
  if (v.sort !== DEFAULT_VIEW.sort) p.set('sort', v.sort);
  if (v.dir !== DEFAULT_VIEW.dir) p.set('dir', v.dir);
  if (v.q) p.set('q', v.q);
  if (v.version) p.set('version', v.version);
  if (v.state) p.set('state', v.state);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Clicking a column: sort by it (numbers start with the largest, text A→Z), or flip the direction. */
export function nextSort(v: TableView, key: SortKey): TableView {
  if (v.sort === key) return { ...v, dir: v.dir === 'asc' ? 'desc' : 'asc' };
  const numeric = !['name', 'appVersion', 'zone', 'adminState', 'breaker'].includes(key);
  return { ...v, sort: key, dir: numeric && key !== 'effective' && key !== 'target' ? 'desc' : 'asc' };
}

export function needsAttention(r: ServiceInstanceRow): boolean {
  return (r.degradation ?? 0) > 0 || (r.breaker !== null && r.breaker !== 'closed') || r.up === false || r.adminState !== 'ready';
}

function matches(r: ServiceInstanceRow, v: TableView): boolean {
  if (v.version && r.appVersion !== v.version) return false;
  switch (v.state) {
    case 'attention':
      if (!needsAttention(r)) return false;
      break;
    case 'degraded':
      if (!((r.degradation ?? 0) > 0)) return false;
      break;
    case 'breaker':
      if (r.breaker === null || r.breaker === 'closed') return false;
      break;
    case 'down':
      if (r.up !== false) return false;
      break;
    case 'not-ready':
      if (r.adminState === 'ready') return false;
      break;
  }
  if (!v.q) return true;
  const q = v.q.toLowerCase();
  return [r.name, r.zone, r.cluster, r.region, r.appVersion].some((s) => s.toLowerCase().includes(q));
}

/** Filtered and sorted rows; unknown values sort last in either direction, ties by name. */
const byName = (a: ServiceInstanceRow, b: ServiceInstanceRow) => a.name.localeCompare(b.name, 'en', { numeric: true });

export function applyView(rows: readonly ServiceInstanceRow[], v: TableView): ServiceInstanceRow[] {
  const sign = v.dir === 'asc' ? 1 : -1;
  return rows
    .filter((r) => matches(r, v))
    .sort((a, b) => {
      const x = a[v.sort];
      const y = b[v.sort];
      if (x === null || x === undefined) return y === null || y === undefined ? byName(a, b) : 1;
      if (y === null || y === undefined) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true });
      return c !== 0 ? sign * c : byName(a, b);
    });
}
