'use client';

import Link from 'next/link';
import { TARGET_STATE_LABELS, type TargetState } from '@/server/domain/experiments/machine';
import { STAGES } from '@/server/domain/model';
import { Badge, type Tone } from '@/components/ui/badge';
import { Num, NumHead, Table } from '@/components/ui/table';
import { breakerTone, degradationTone, fmtDegradation, fmtRatio, fmtWeight } from '@/components/telemetry/format';
import type { RunTarget } from './contract';
import styles from './experiments.module.css';

const targetTone = (s: TargetState): Tone => (s === 'injected' ? 'warning' : s === 'recovered' ? 'success' : s === 'selected' ? 'neutral' : 'danger');

/** Live health of every target (its latest sample): fault state, weight, ladder level, breaker and stage buffers. */
export function TargetsHealth({ targets }: { targets: RunTarget[] }) {
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
          const h = t.health;
          const fills = (h.stageFill ?? []).map((fill, i) => ({ stage: STAGES[i] ?? `stage ${i + 1}`, fill }));
          const hottest = fills.reduce((m, b) => Math.max(m, b.fill), 0);
          const words = fills.map((b) => `${b.stage} ${fmtRatio(b.fill)}`).join(', ');
          return (
            <tr key={t.id} data-target={t.instanceName}>
              <th scope="row">
                <Link href={`/instances/${encodeURIComponent(t.instanceName)}`}>{t.instanceName}</Link>
                <span className={styles.reason}>
                  {t.serviceName} · {t.zone} / {t.cluster}
                </span>
                {h.up === false ? <Badge tone="danger">unreachable</Badge> : null}
              </th>
              <td>
                <Badge tone={targetTone(t.state)}>{TARGET_STATE_LABELS[t.state]}</Badge>
                {t.detail ? <span className={styles.reason}>{t.detail}</span> : null}
              </td>
              <Num>{fmtWeight(h.effectiveWeight)}</Num>
              <td>
                <Badge tone={degradationTone(h.degradation)}>{fmtDegradation(h.degradation)}</Badge>
              </td>
              <td>
                <Badge tone={breakerTone(h.breaker)}>{h.breaker ?? '—'}</Badge>
              </td>
              <td>
                {fills.length ? (
                  <>
                    <span className={styles.buffers} role="img" aria-label={`Buffers: ${words}`} title={words}>
                      {fills.map((b) => (
                        <span key={b.stage} className={styles.bufferBar}>
                          <span className={`${styles.bufferFill} ${b.fill >= 0.85 ? styles.bufferHot : b.fill >= 0.6 ? styles.bufferWarm : ''}`} style={{ height: `${Math.min(100, Math.max(0, b.fill * 100))}%` }} />
                        </span>
                      ))}
                    </span>{' '}
                    <span className={`${styles.small} muted`}>max {fmtRatio(hottest)}</span>
                  </>
                ) : (
                  <span className="muted">no sample</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
