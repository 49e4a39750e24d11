'use client';

import Link from 'next/link';
import type { BlastRadius } from '@/server/domain/experiments/spec';
import type { Scope } from '@/server/domain/experiments/blast-radius';
import { Badge } from '@/components/ui/badge';
import { Spinner } from '@/components/ui/spinner';
import { Num, NumHead, Table } from '@/components/ui/table';
import type { PreviewResult } from './contract';
import styles from './experiments.module.css';

interface ShareRow {
  name: string;
  selected: number;
  total: number;
  pct: number;
  /** The cap that applies to this row, in %, and the instances it allows (a zone or cluster: at least one). */
  capPct: number;
  allowed: number;
}

const SCOPE_ORDER: readonly Scope[] = ['service', 'zone', 'cluster'];

/**
 * The instances a run would hit today, the share of each service / zone / cluster against the cap
 * that applies there (the experiment's or the admin's global maximum, whichever is lower), and
 * why it would be refused.
 */
export function TargetPreview({ preview, blastRadius, updating }: { preview: PreviewResult; blastRadius: BlastRadius; updating: boolean }) {
  const n = preview.selected.length;
  const own = { service: blastRadius.maxServicePct, zone: blastRadius.maxZonePct, cluster: blastRadius.maxClusterPct };
  return (
    <div aria-busy={updating || undefined}>
      <p role="status" aria-label="Blast radius check">
        {updating ? <Spinner label="Updating the preview" /> : null} {preview.canRun ? <Badge tone="success">within the blast radius</Badge> : <Badge tone="danger">refused</Badge>} {n} of {preview.matched} matching instance{preview.matched === 1 ? '' : 's'} selected
      </p>
      <p className={`muted ${styles.small}`}>
        Caps:{' '}
        {SCOPE_ORDER.map((scope, k) => {
          const cap = preview.caps[scope];
          // The admin's maximum applies where the experiment sets no cap of its own, or a higher one.
          const whose = cap.by === 'experiment' ? "this experiment's" : own[scope] === null ? 'the global maximum' : `the global maximum, below this experiment's ${own[scope]} %`;
          return `${k ? ' · ' : ''}per ${scope} ${cap.pct} % (${whose})`;
        }).join('')}{' '}
        · the admin&apos;s global maximum of {preview.globalMaxPct} % bounds all three · on {preview.adapter}
      </p>
      {preview.refusals.length ? (
        <ul className={styles.refusals} aria-label="Why this run would be refused">
          {preview.refusals.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      ) : null}
      {preview.warnings.length ? (
        <ul className={styles.small} aria-label="Warnings">
          {preview.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      ) : null}
      <Shares title="Per service" rows={preview.perService.map((r) => ({ ...r, name: r.service }))} />
      <Shares title="Per zone" rows={preview.perZone.map((r) => ({ ...r, name: r.zone }))} />
      <Shares title="Per cluster" rows={preview.perCluster.map((r) => ({ ...r, name: r.cluster }))} collapsed />
      {n ? (
        <details open={n <= 12}>
          <summary className={styles.small}>Instances ({n})</summary>
          <Table label="Target instances">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Version</th>
                <th scope="col">Zone / cluster</th>
              </tr>
            </thead>
            <tbody>
              {preview.selected.map((t) => (
                <tr key={t.id}>
                  <td className={styles.nowrap}>
                    <Link href={`/instances/${encodeURIComponent(t.name)}`}>{t.name}</Link>
                  </td>
                  <td>{t.version}</td>
                  <td className={styles.nowrap}>
                    {t.zone} / {t.cluster}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </details>
      ) : (
        <p className="muted">No instance is selected with these targets.</p>
      )}
    </div>
  );
}

function Shares({ title, rows, collapsed }: { title: string; rows: ShareRow[]; collapsed?: boolean }) {
  if (rows.length === 0) return null;
  const over = (r: ShareRow) => r.selected > r.allowed;
  const what = title.replace('Per ', '');
  const table = (
    <Table label={`Targets per ${what}`}>
      <thead>
        <tr>
          <th scope="col">{what.charAt(0).toUpperCase() + what.slice(1)}</th>
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
              <span className={over(r) ? styles.over : undefined}>
                {Math.round(r.pct * 10) / 10} %{over(r) ? ' (over)' : ''}
              </span>
            </Num>
            <Num>
              {r.capPct} % · at most {r.allowed}
            </Num>
          </tr>
        ))}
      </tbody>
    </Table>
  );
  return collapsed && !rows.some(over) ? (
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
