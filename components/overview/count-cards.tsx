import type { OverviewData } from '@/server/services/topology/topology';
import { orderedStates } from './format';
import styles from './overview.module.css';

const LABELS: Array<[keyof OverviewData['counts'], string]> = [
  ['regions', 'Regions'],
  ['zones', 'Zones'],
  ['clusters', 'Clusters'],
  ['services', 'Services'],
  ['instances', 'Instances'],
];

/** Fleet size at a glance; each card is a named group ("Instances: 80") for screen readers. */
export function CountCards({ counts }: { counts: OverviewData['counts'] }) {
  return (
    <dl className={styles.cards}>
      {LABELS.map(([key, label]) => (
        <div key={key} role="group" aria-label={`${label}: ${counts[key]}`} className={styles.card}>
          <dt>{label}</dt>
          <dd>{counts[key]}</dd>
        </div>
      ))}
    </dl>
  );
}

export function InstanceStates({ byState }: { byState: OverviewData['instancesByState'] }) {
  const states = orderedStates(byState);
  if (!states.length) return <p className="muted">No instances yet.</p>;
  return (
    <dl className={styles.states} aria-label="Instances by admin state">
      {states.map(([state, n]) => (
        <div key={state} role="group" aria-label={`${state}: ${n}`} style={{ display: 'contents' }}>
          <dt>{state}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}
