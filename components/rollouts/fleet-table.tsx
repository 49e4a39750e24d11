'use client';

import Link from 'next/link';
import { STATE_LABELS } from '@/server/domain/rollouts/machine';
import { Badge } from '@/components/ui/badge';
import { Num, NumHead, Table } from '@/components/ui/table';
import type { RolloutRow } from './contract';
import { ageText, pct, stateText, stateTone, verdictTone, VERDICT_LABELS } from './words';
import styles from './rollouts.module.css';

/** "Step 3 of 8"; a pending rollout has not begun, a succeeded one did them all. */
export function stepText(r: Pick<RolloutRow, 'state' | 'currentStep' | 'stepCount'>): string {
  if (r.state === 'pending') return `— of ${r.stepCount}`;
  if (r.state === 'succeeded') return `${r.stepCount} of ${r.stepCount}`;
  return `${Math.min(r.currentStep + 1, r.stepCount)} of ${r.stepCount}`;
}

/** One row per rollout, newest first (the server's order). */
export function FleetTable({ rows, now }: { rows: RolloutRow[]; now: number }) {
  return (
    <Table label="Rollouts">
      <thead>
        <tr>
          <th scope="col">Rollout</th>
          <th scope="col">Service</th>
          <th scope="col">Versions</th>
          <th scope="col">State</th>
          <NumHead scope="col">Step</NumHead>
          <NumHead scope="col">Canary desired / measured</NumHead>
          <th scope="col">Analysis</th>
          <th scope="col">Approvals</th>
          <th scope="col">Started by</th>
          <NumHead scope="col">Age</NumHead>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const words = stateText(r);
          return (
            <tr key={r.id} data-rollout={r.id}>
              <th scope="row">
                <Link href={`/rollouts/${r.id}`}>{r.name}</Link>
                {r.approval?.canDecide ? (
                  <span className={styles.mine}>
                    {' '}
                    <Badge tone="warning">waiting for your approval</Badge>
                  </span>
                ) : null}
              </th>
              <td>
                <Link href={`/services/${encodeURIComponent(r.service.name)}`}>{r.service.name}</Link>
              </td>
              <td className={styles.nowrap}>
                {r.stableVersion} → {r.canaryVersion}
              </td>
              <td>
                <Badge tone={stateTone(r.state)}>{STATE_LABELS[r.state]}</Badge>
                {words !== STATE_LABELS[r.state] ? <span className={styles.reason}>{words.slice(STATE_LABELS[r.state].length + 2)}</span> : null}
              </td>
              <Num>{stepText(r)}</Num>
              <Num>
                {pct(r.desiredCanaryPct)} / {pct(r.measuredCanaryPct)}
              </Num>
              <td>{r.verdict ? <Badge tone={verdictTone(r.verdict)}>{VERDICT_LABELS[r.verdict] ?? r.verdict}</Badge> : <span className="muted">—</span>}</td>
              <td>{r.approval ? `${r.approval.approvals} of ${r.approval.quorum}` : <span className="muted">—</span>}</td>
              <td>{r.startedByName ?? <span className="muted">not started</span>}</td>
              <Num>
                <span title={new Date(r.createdAt).toISOString()}>{ageText(r.startedAt ?? r.createdAt, now)}</span>
              </Num>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
