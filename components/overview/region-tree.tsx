import type { OverviewData } from '@/server/services/topology/topology';
import { EmptyState } from '@/components/ui/empty-state';
import { plural } from './format';
import styles from './overview.module.css';

/** Region → zone, with the clusters and instances under each zone. */
export function RegionTree({ regions }: { regions: OverviewData['regions'] }) {
  if (!regions.length) {
    return <EmptyState title="No regions yet">The topology is empty. Regions, zones and clusters appear here once the registry has them.</EmptyState>;
  }
  return (
    <ul className={styles.tree} aria-label="Regions and zones">
      {regions.map((r) => {
        const clusters = r.zones.reduce((a, z) => a + z.clusters, 0);
        const instances = r.zones.reduce((a, z) => a + z.instances, 0);
        return (
          <li key={r.id}>
            <span className={styles.regionName}>{r.name}</span>{' '}
            <span className={styles.counts}>
              — {plural(r.zones.length, 'zone')} · {plural(clusters, 'cluster')} · {plural(instances, 'instance')}
            </span>
            <ul aria-label={`Zones in ${r.name}`}>
              {r.zones.map((z) => (
                <li key={z.id}>
                  {z.name}{' '}
                  <span className={styles.counts}>
                    — {plural(z.clusters, 'cluster')} · {plural(z.instances, 'instance')}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}
