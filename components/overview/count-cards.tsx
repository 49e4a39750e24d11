import type { OverviewData } from '@/server/services/topology/topology';
import { formatCount, orderedStates } from './format';
import styles from './overview.module.css';

const LABELS: Array<[keyof OverviewData['counts'], string]> = [
  ['regions', 'Regions'],
  ['zones', 'Zones'],
  ['clusters', 'Clusters'],
  ['services', 'Services'],
  ['instances', 'Instances'],
];

/** Fleet size at a glance: term and value pairs (a <dl> may wrap each pair in a plain <div>, nothing else). */
export function CountCards({ counts }: { counts: OverviewData['counts'] }) {
  return (
    <dl className={styles.cards}>
      {LABELS.map(([key, label]) => (
        <div key={key} className={styles.card}>
          <dt>{label}</dt>
          <dd>{formatCount(counts[key])}</dd>
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
        <div key={state} style={{ display: 'contents' }}>
          <dt>{state}</dt>
          <dd>{formatCount(n)}</dd>
        </div>
      ))}
    </dl>
  );
}
