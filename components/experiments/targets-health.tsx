'use client';

import Link from 'next/link';
import { TARGET_STATE_LABELS, type TargetState } from '@/server/domain/experiments/machine';
import { Badge, type Tone } from '@/components/ui/badge';
import { Num, NumHead, Table } from '@/components/ui/table';
import { breakerTone, degradationTone, fmtDegradation, fmtRatio, fmtWeight } from '@/components/telemetry/format';
import type { TargetHealth } from './contract';
import styles from './experiments.module.css';

const targetTone = (s: TargetState): Tone => (s === 'injected' ? 'warning' : s === 'recovered' ? 'success' : s === 'selected' ? 'neutral' : 'danger');

/** Live health of every target: its fault state, weight, ladder level, breaker and stage buffers. */
export function TargetsHealth({ targets }: { targets: TargetHealth[] }) {
  if (targets.length === 0) return <p className="muted">No instance was selected for this run.</p>;
  return (
    <Table label="Target health">
      <thead>
        <tr>
          <th scope="col">Instance</th>
          <th scope="col">Fault</th>
          <NumHead scope="col">Weight</NumHead>
          <th scope="col">Level</th>
          <th scope="col">Breaker</th>
          <th scope="col">Buffers</th>
        </tr>
      </thead>
      <tbody>
        {targets.map((t) => {
          const hottest = t.buffers.reduce((m, b) => Math.max(m, b.fill), 0);
          return (
            <tr key={t.id} data-target={t.name}>
              <th scope="row">
                <Link href={`/instances/${encodeURIComponent(t.name)}`}>{t.name}</Link>
                <span className={styles.reason}>
                  {t.service} · {t.zone} / {t.cluster}
                </span>
                {t.up === false ? <Badge tone="danger">unreachable</Badge> : null}
              </th>
              <td>
                <Badge tone={targetTone(t.state)}>{TARGET_STATE_LABELS[t.state]}</Badge>
                {t.detail ? <span className={styles.reason}>{t.detail}</span> : null}
              </td>
              <Num>
                {fmtWeight(t.weight)}
                {t.targetWeight !== undefined && t.targetWeight !== null && Math.round(t.targetWeight) !== Math.round(t.weight ?? NaN) ? <span className="muted"> → {fmtWeight(t.targetWeight)}</span> : null}
              </Num>
              <td>
                <Badge tone={degradationTone(t.level)}>{fmtDegradation(t.level)}</Badge>
              </td>
              <td>
                <Badge tone={breakerTone(t.breaker)}>{t.breaker ?? '—'}</Badge>
              </td>
              <td>
                <span className={styles.buffers} role="img" aria-label={`Buffers: ${t.buffers.map((b) => `${b.stage} ${fmtRatio(b.fill)}`).join(', ') || 'no sample'}`} title={t.buffers.map((b) => `${b.stage} ${fmtRatio(b.fill)}`).join('\n')}>
                  {t.buffers.map((b) => (
                    <span key={b.stage} className={styles.bufferBar}>
                      <span className={`${styles.bufferFill} ${b.fill >= 0.85 ? styles.bufferHot : b.fill >= 0.6 ? styles.bufferWarm : ''}`} style={{ height: `${Math.min(100, Math.max(0, b.fill * 100))}%` }} />
                    </span>
                  ))}
                </span>{' '}
                <span className={`${styles.small} muted`}>max {fmtRatio(hottest)}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
