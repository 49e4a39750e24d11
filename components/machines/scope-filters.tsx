'use client';

// Region / zone / cluster / service filters for the fleet view; each choice narrows the next list.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';

export type FleetFilter = { regionId?: string; zoneId?: string; clusterId?: string; serviceId?: string };

export function ScopeFilters({ value, onChange }: { value: FleetFilter; onChange: (patch: Record<string, string | null>) => void }) {
  const trpc = useTRPC();
  const services = useQuery(trpc.telemetry.services.queryOptions());
  const topo = useQuery(trpc.topologyMap.snapshot.queryOptions(undefined, { staleTime: 60_000 }));
  const regions = topo.data?.regions ?? [];
  const zones = regions.filter((r) => !value.regionId || r.id === value.regionId).flatMap((r) => r.zones);
  const clusters = zones.filter((z) => !value.zoneId || z.id === value.zoneId).flatMap((z) => z.clusters);
  const pick = (label: string, key: string, current: string | undefined, options: Array<{ id: string; name: string }>, clears: string[]) => (
    <label>
      {label}{' '}
      <select value={current ?? ''} onChange={(e) => onChange({ [key]: e.target.value || null, ...Object.fromEntries(clears.map((c) => [c, null])), edge: null, state: null })}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      {pick('Region', 'region', value.regionId, regions, ['zone', 'cluster'])}
      {pick('Zone', 'zone', value.zoneId, zones, ['cluster'])}
      {pick('Cluster', 'cluster', value.clusterId, clusters, [])}
      {pick('Service', 'service', value.serviceId, services.data ?? [], [])}
    </>
  );
}
