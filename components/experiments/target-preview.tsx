'use client';

import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Spinner } from '@/components/ui/spinner';
import { Num, NumHead, Table } from '@/components/ui/table';
import type { PreviewResult, ShareCount } from './contract';
import styles from './experiments.module.css';

/** The instances a run would hit today, the share of each service / zone / cluster, and why it would be refused. */
export function TargetPreview({ preview, updating }: { preview: PreviewResult; updating: boolean }) {
  return (
    <div aria-busy={updating || undefined}>
      <p role="status" aria-label="Blast radius check">
        {updating ? <Spinner /> : null} {preview.ok ? <Badge tone="success">within the blast radius</Badge> : <Badge tone="danger">refused</Badge>}{' '}
        {preview.targets.length} of {preview.matched} matching instance{preview.matched === 1 ? '' : 's'} selected
        {preview.globalMaxPct !== undefined && preview.globalMaxPct !== null ? <span className="muted"> · global maximum {preview.globalMaxPct} %</span> : null}
      </p>
      {preview.refusals.length ? (
        <ul className={styles.refusals} aria-label="Why this run would be refused">
          {preview.refusals.map((r, i) => (
            <li key={i}>{r.message}</li>
          ))}
        </ul>
      ) : null}
      <Shares title="Per service" rows={preview.perService} />
      <Shares title="Per zone" rows={preview.perZone} />
      <Shares title="Per cluster" rows={preview.perCluster} collapsed />
      {preview.targets.length ? (
        <details open={preview.targets.length <= 12}>
          <summary className={styles.small}>Instances ({preview.targets.length})</summary>
          <Table label="Target instances">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Service</th>
                <th scope="col">Version</th>
                <th scope="col">Zone</th>
                <th scope="col">Cluster</th>
              </tr>
            </thead>
            <tbody>
              {preview.targets.map((t) => (
                <tr key={t.instanceId}>
                  <td>
                    <Link href={`/instances/${encodeURIComponent(t.name)}`}>{t.name}</Link>
                  </td>
                  <td>{t.service}</td>
                  <td>{t.version}</td>
                  <td>{t.zone}</td>
                  <td>{t.cluster}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </details>
      ) : (
        <p className="muted">No instance matches these targets.</p>
      )}
    </div>
  );
}

function Shares({ title, rows, collapsed }: { title: string; rows: ShareCount[]; collapsed?: boolean }) {
  if (rows.length === 0) return null;
  const over = rows.some((r) => r.over);
  const table = (
    <Table label={`Targets ${title.toLowerCase()}`}>
      <thead>
        <tr>
          <th scope="col">{title.replace('Per ', '').replace(/^./, (c) => c.toUpperCase())}</th>
          <NumHead scope="col">Selected</NumHead>
          <NumHead scope="col">Share</NumHead>
          <NumHead scope="col">Cap</NumHead>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <td>{r.name}</td>
            <Num>
              {r.selected} of {r.total}
            </Num>
            <Num>
              <span className={r.over ? styles.over : undefined}>{Math.round(r.pct * 10) / 10} %</span>
            </Num>
            <Num>{r.capPct === null ? '—' : `${r.capPct} %`}</Num>
          </tr>
        ))}
      </tbody>
    </Table>
  );
  return collapsed && !over ? (
    <details>
      <summary className={styles.small}>
        {title} ({rows.length})
      </summary>
      {table}
    </details>
  ) : (
    <>
      <h3 className={styles.small}>{title}</h3>
      {table}
    </>
  );
}
