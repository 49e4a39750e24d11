'use client';

import { useState } from 'react';
import type { TransitionItem } from '@/server/services/telemetry/telemetry-read';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { transitionTitle, transitionTone } from './chart-data';
import styles from './instances.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

const MACHINES: Array<{ key: TransitionItem['machine']; label: string }> = [
  { key: 'weight', label: 'Weight recomputes' },
  { key: 'degradation', label: 'Degradation' },
  { key: 'breaker', label: 'Breaker' },
  { key: 'stage', label: 'Stage blocking' },
];
const PAGE = 50;

/** The state changes of the range, newest first, filterable by machine; the same as the chart markers. */
export function TransitionsList({ transitions, truncated }: { transitions: readonly TransitionItem[]; truncated: boolean }) {
  const zone = useDisplayZone();
  const [shown, setShown] = useState<Set<string>>(() => new Set(MACHINES.map((m) => m.key)));
  const [limit, setLimit] = useState(PAGE);
  const rows = transitions.filter((t) => shown.has(t.machine));
  const toggle = (k: string) =>
    setShown((s) => {
      const n = new Set(s);
      if (n.has(k)) n.delete(k);
      else n.add(k);
      return n;
    });
  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading">State changes</h2>
      <fieldset className={styles.filters}>
        <legend className="visually-hidden">Show state changes of</legend>
        {MACHINES.map((m) => (
          <label key={m.key} className={styles.chip}>
            <input type="checkbox" checked={shown.has(m.key)} onChange={() => toggle(m.key)} /> {m.label} ({transitions.filter((t) => t.machine === m.key).length})
          </label>
        ))}
      </fieldset>
      {rows.length === 0 ? (
        <EmptyState title="No state changes in this range">
          Weight recomputes that moved the target, degradation steps, breaker changes and stages blocking are listed here. Idle ↔ active stage flips are not.
        </EmptyState>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table} aria-label="State changes">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Change</th>
                <th scope="col">Cause</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, limit).map((t) => (
                <tr key={t.id}>
                  <td className={styles.time}>{formatTime(t.at, zone)}</td>
                  <td>
                    <Badge tone={transitionTone(t)}>{transitionTitle(t)}</Badge>
                  </td>
                  <td>{t.cause}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className={styles.listFoot}>
        {rows.length > limit ? (
          <Button size="small" onClick={() => setLimit((l) => l + PAGE * 4)}>
            Show more ({rows.length - limit} hidden)
          </Button>
        ) : null}
        {truncated ? <span className="muted"> The newest 500 changes of this range are listed; pick a shorter range to see older ones.</span> : null}
      </p>
    </section>
  );
}
