'use client';

// Region / zone / cluster / service filters for the fleet views (machines, timeline). The URL
// carries names (`?zone=eu-west-b`), so a link reads as what it shows; the queries take ids,
// resolved here once the topology is loaded. A name Switchback does not know is said in words
// and left out of the query rather than failing the page.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import uiStyles from '@/components/ui/ui.module.css';

export type FleetFilter = { regionId?: string; zoneId?: string; clusterId?: string; serviceId?: string };
type Named = { id: string; name: string };
const KEYS = ['region', 'zone', 'cluster', 'service'] as const;
type Key = (typeof KEYS)[number];

function useScopeData() {
  const trpc = useTRPC();
  const services = useQuery(trpc.telemetry.services.queryOptions());
  const topo = useQuery(trpc.topologyMap.snapshot.queryOptions(undefined, { staleTime: 60_000 }));
  const regions = topo.data?.regions ?? [];
  const zones = regions.flatMap((r) => r.zones.map((z) => ({ ...z, regionName: r.name })));
  const clusters = zones.flatMap((z) => z.clusters.map((c) => ({ ...c, zoneName: z.name, regionName: z.regionName })));
  return { loaded: !!topo.data && !!services.data, regions, zones, clusters, services: (services.data ?? []) as Named[] };
}

/**
 * The filter named in the URL, as ids for the queries. `ready` is false until the names can be
 * resolved (queries wait for it, so they never run unfiltered first); `unknown` lists the names
 * that match nothing, in words.
 */
export function useFleetScope(params: URLSearchParams): { filter: FleetFilter; ready: boolean; unknown: string[] } {
  const d = useScopeData();
  const names = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? undefined])) as Record<Key, string | undefined>;
  if (KEYS.every((k) => !names[k])) return { filter: {}, ready: true, unknown: [] };
  if (!d.loaded) return { filter: {}, ready: false, unknown: [] };
  const lists: Record<Key, Named[]> = { region: d.regions, zone: d.zones, cluster: d.clusters, service: d.services };
  const filter: FleetFilter = {};
  const unknown: string[] = [];
  for (const k of KEYS) {
    const name = names[k];
    if (!name) continue;
    const hit = lists[k].find((x) => x.name === name);
    if (hit) filter[`${k}Id`] = hit.id;
    else unknown.push(`no ${k} is named “${name}”`);
  }
  return { filter, ready: true, unknown };
}

/** `only`: the filters that apply to the view (the rollout machine: service); all four otherwise. */
export function ScopeFilters({ params, onChange, only }: { params: URLSearchParams; onChange: (patch: Record<string, string | null>) => void; only?: readonly Key[] }) {
  const d = useScopeData();
  const region = params.get('region') ?? '';
  const zone = params.get('zone') ?? '';
  const zones = d.zones.filter((z) => !region || z.regionName === region);
  const clusters = d.clusters.filter((c) => (!region || c.regionName === region) && (!zone || c.zoneName === zone));
  const pick = (label: string, key: Key, options: Named[], clears: Key[]) => {
    const current = params.get(key) ?? '';
    // A name from the URL that matches nothing stays selectable, so the select shows what is asked.
    const shown = current && d.loaded && !options.some((o) => o.name === current) ? [...options, { id: `?${current}`, name: current }] : options;
    return (
      <label>
        {label}{' '}
        <select className={uiStyles.control} value={current} onChange={(e) => onChange({ [key]: e.target.value || null, ...Object.fromEntries(clears.map((c) => [c, null])), edge: null, state: null })}>
          <option value="">All</option>
          {shown.map((o) => (
            <option key={o.id} value={o.name}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
    );
  };
  const shows = (k: Key) => !only || only.includes(k);
  return (
    <>
      {shows('region') ? pick('Region', 'region', d.regions, ['zone', 'cluster']) : null}
      {shows('zone') ? pick('Zone', 'zone', zones, ['cluster']) : null}
      {shows('cluster') ? pick('Cluster', 'cluster', clusters, []) : null}
      {shows('service') ? pick('Service', 'service', d.services, []) : null}
    </>
  );
}
