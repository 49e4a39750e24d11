import { describe, expect, it } from 'vitest';
import type { ServiceInstanceRow } from '@/server/services/telemetry/telemetry-read-service';
import { applyView, DEFAULT_VIEW, nextSort, viewFromParams, viewToQuery } from './table-view';

const row = (name: string, over: Partial<ServiceInstanceRow> = {}): ServiceInstanceRow => ({
  id: name, name, appVersion: 'v1', adminState: 'ready', cluster: 'euw-a-1', zone: 'eu-west-a', region: 'eu-west', at: 1, tickId: '1', up: true,
  target: 80, effective: 80, cpu: 30, p95: 200, connections: 300, rps: 50, errorRate: 0, degradation: 0, breaker: 'closed', why: null, cause: null, ...over,
});

const rows = [
  row('a-1', { effective: 40, zone: 'eu-west-b', degradation: 1 }),
  row('a-2', { effective: 90, appVersion: 'v2' }),
  row('a-10', { effective: null, up: false }),
  row('a-3', { effective: 60, breaker: 'open' }),
];

describe('instance table view', () => {
  it('reads and writes the view in the URL, keeping the range and leaving defaults out', () => {
    const v = viewFromParams(new URLSearchParams('sort=cpu&dir=desc&q=euw&state=breaker&range=1h'));
    expect(v).toEqual({ sort: 'cpu', dir: 'desc', q: 'euw', version: '', state: 'breaker' });
    expect(viewToQuery(v, new URLSearchParams('range=1h&sort=name'))).toBe('?range=1h&sort=cpu&dir=desc&q=euw&state=breaker');
    expect(viewToQuery(DEFAULT_VIEW, new URLSearchParams(''))).toBe('');
    expect(viewFromParams(new URLSearchParams('sort=password&state=x'))).toEqual(DEFAULT_VIEW);
  });

  it('sorts numbers with unknown values last in both directions, names naturally', () => {
    expect(applyView(rows, { ...DEFAULT_VIEW, sort: 'effective' }).map((r) => r.name)).toEqual(['a-1', 'a-3', 'a-2', 'a-10']);
    expect(applyView(rows, { ...DEFAULT_VIEW, sort: 'effective', dir: 'desc' }).map((r) => r.name)).toEqual(['a-2', 'a-3', 'a-1', 'a-10']);
    expect(applyView(rows, DEFAULT_VIEW).map((r) => r.name)).toEqual(['a-1', 'a-2', 'a-3', 'a-10']);
  });

  it('filters by text (name, zone, cluster, version), version and state', () => {
    expect(applyView(rows, { ...DEFAULT_VIEW, q: 'WEST-B' }).map((r) => r.name)).toEqual(['a-1']);
    expect(applyView(rows, { ...DEFAULT_VIEW, version: 'v2' }).map((r) => r.name)).toEqual(['a-2']);
    expect(applyView(rows, { ...DEFAULT_VIEW, state: 'attention' }).map((r) => r.name)).toEqual(['a-1', 'a-3', 'a-10']);
    expect(applyView(rows, { ...DEFAULT_VIEW, state: 'down' }).map((r) => r.name)).toEqual(['a-10']);
    expect(applyView(rows, { ...DEFAULT_VIEW, state: 'breaker' }).map((r) => r.name)).toEqual(['a-3']);
  });

  it('sorts a new column by its most telling end first, and flips on a second click', () => {
    expect(nextSort(DEFAULT_VIEW, 'cpu')).toMatchObject({ sort: 'cpu', dir: 'desc' });
    expect(nextSort(DEFAULT_VIEW, 'effective')).toMatchObject({ sort: 'effective', dir: 'asc' });
    expect(nextSort(DEFAULT_VIEW, 'name')).toMatchObject({ sort: 'name', dir: 'desc' });
  });
});
