'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import type { ServiceDetail } from '@/server/services/telemetry/telemetry-read-service';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { TEXT_LIMITS } from '@/components/ui/limits';
import { adminTone, breakerTone, degradationTone, fmtCount, fmtDegradation, fmtMs, fmtPct, fmtRatio, fmtRps, fmtWeight } from '@/components/telemetry/format';
import { applyView, nextSort, STATE_FILTERS, viewFromParams, viewToQuery, type SortKey, type TableView } from './table-view';
import styles from './services.module.css';

const COLUMNS: Array<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: 'name', label: 'Instance' },
  { key: 'appVersion', label: 'Version' },
  { key: 'zone', label: 'Zone' },
  { key: 'target', label: 'Target', numeric: true },
  { key: 'effective', label: 'Effective', numeric: true },
  { key: 'cpu', label: 'CPU', numeric: true },
  { key: 'p95', label: 'P95', numeric: true },
  { key: 'connections', label: 'Conns', numeric: true },
  { key: 'rps', label: 'Req/s', numeric: true },
  { key: 'errorRate', label: 'Errors', numeric: true },
  { key: 'degradation', label: 'Degradation' },
  { key: 'breaker', label: 'Breaker' },
];

const STATE_LABELS: Record<string, string> = { '': 'Any state', attention: 'Needs attention', degraded: 'Degraded', breaker: 'Breaker not closed', down: 'Unreachable', 'not-ready': 'Drained or in maintenance' };

/** Every instance of the service with its weight, inputs and state; sortable and filterable, the view in the URL. */
export function InstancesTable({ d }: { d: ServiceDetail }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view = useMemo(() => viewFromParams(params), [params]);
  const rows = useMemo(() => applyView(d.instances, view), [d.instances, view]);
  const versions = useMemo(() => [...new Set(d.instances.map((i) => i.appVersion))].sort(), [d.instances]);
  const set = (v: TableView) => router.replace(`${pathname}${viewToQuery(v, new URLSearchParams(params.toString()))}`, { scroll: false });
  const th = d.thresholds;
  const keep = (() => {
    const p = new URLSearchParams();
    for (const k of ['range', 'from', 'to']) {
      const v = params.get(k);
      if (v) p.set(k, v);
    }
    const s = p.toString();
    return s ? `?${s}` : '';
  })();

  return (
    <section aria-labelledby="instances-heading">
      <h2 id="instances-heading">Instances</h2>
      <div className={styles.filters} role="search" aria-label="Filter instances">
        <label>
          Find <input type="search" maxLength={TEXT_LIMITS.search} value={view.q} placeholder="name, zone, cluster" onChange={(e) => set({ ...view, q: e.target.value })} />
        </label>
        <label>
          Version{' '}
          <select value={view.version} onChange={(e) => set({ ...view, version: e.target.value })}>
            <option value="">All versions</option>
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          State{' '}
          <select value={view.state} onChange={(e) => set({ ...view, state: e.target.value as TableView['state'] })}>
            {STATE_FILTERS.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <span role="status" className="muted">
          {rows.length} of {d.instances.length} instances
        </span>
      </div>
      {rows.length === 0 ? (
        <EmptyState title={d.instances.length ? 'No instance matches these filters' : 'This service has no instances'}>
          {d.instances.length ? 'Clear the search or pick another version or state.' : 'Instances appear when the registry places the service in a cluster.'}
        </EmptyState>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table} aria-label="Instances">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} scope="col" className={c.numeric ? styles.num : undefined} aria-sort={view.sort === c.key ? (view.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                    <button type="button" className={styles.sortButton} onClick={() => set(nextSort(view, c.key))}>
                      {c.label}
                      <span aria-hidden="true">{view.sort === c.key ? (view.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                ))}
                <th scope="col">Why this weight</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className={styles.nameCell}>
                    <Link href={`/instances/${encodeURIComponent(r.name)}${keep}`}>{r.name}</Link>
                    {r.up === false ? (
                      <>
                        {' '}
                        <Badge tone="danger">unreachable</Badge>
                      </>
                    ) : null}
                    {r.adminState !== 'ready' ? (
                      <>
                        {' '}
                        <Badge tone={adminTone(r.adminState)}>{r.adminState}</Badge>
                      </>
                    ) : null}
                  </td>
                  <td>{r.appVersion}</td>
                  <td>{r.zone}</td>
                  <td className={styles.num}>{fmtWeight(r.target)}</td>
                  <td className={styles.num}>
                    <span className={styles.weightCell}>
                      <span className={styles.weightBar} aria-hidden="true">
                        <span style={{ width: `${Math.max(0, Math.min(100, r.effective ?? 0))}%` }} />
                      </span>
                      {fmtWeight(r.effective)}
                    </span>
                  </td>
                  <td className={`${styles.num} ${r.cpu !== null && r.cpu > th.cpuPct ? styles.over : ''}`}>{fmtPct(r.cpu)}</td>
                  <td className={`${styles.num} ${r.p95 !== null && r.p95 > th.p95Ms ? styles.over : ''}`}>{fmtMs(r.p95)}</td>
                  <td className={`${styles.num} ${r.connections !== null && r.connections > th.connections ? styles.over : ''}`}>{fmtCount(r.connections)}</td>
                  <td className={styles.num}>{fmtRps(r.rps)}</td>
                  <td className={styles.num}>{fmtRatio(r.errorRate)}</td>
                  <td>
                    <Badge tone={degradationTone(r.degradation)} label={fmtDegradation(r.degradation)}>
                      {r.degradation ? fmtDegradation(r.degradation) : 'L0'}
                    </Badge>
                  </td>
                  <td>
                    <Badge tone={breakerTone(r.breaker)}>{r.breaker ?? '—'}</Badge>
                  </td>
                  <td className={styles.why} title={r.cause ? `recomputed because ${r.cause}` : undefined}>
                    {r.why ?? <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
