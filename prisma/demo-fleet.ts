import type { FleetSpec } from '../server/db/factories';

// The demo platform of SPEC/issue 3: 2 regions, 5 zones, 10 clusters, 4 services, 84 instances;
// order-api runs v1 and v2 with a 90/10 split and a header rule for the canary group; payment-svc
// and inventory-svc have two v2 instances deployed (one in eu-west-a, one in us-east-a) that get no
// traffic until a rollout sends them some; edge-gateway is one pool of v1 (stored without routing).
// Each service carries its `layer` label (access | service | data): the chaos report groups its
// per-layer SLA table by it (SPEC §3.7), and the call graph edge-gateway → order-api →
// inventory-svc, payment-svc (the simulator's `calls`) runs from the access layer down to data.
//
// SWITCHBACK_DEMO_INSTANCES scales the same platform (issue 14): the same 4 services, routing,
// canaries and call graph, over more zones and clusters with more instances in each. 84 (the
// default) is exactly the platform above, which every existing test relies on.

/** The default size: the demo of issue 3. */
export const DEMO_INSTANCES = 84;

/** Regions in the order a growing fleet fills them; the first two zones' worth is today's demo. */
const REGION_LADDER: ReadonlyArray<{ name: string; short: string; zones: number }> = [
  { name: 'eu-west', short: 'euw', zones: 3 },
  { name: 'us-east', short: 'use', zones: 2 },
  { name: 'ap-south', short: 'aps', zones: 3 },
  { name: 'eu-central', short: 'euc', zones: 3 },
  { name: 'us-west', short: 'usw', zones: 3 },
  { name: 'ap-northeast', short: 'apn', zones: 3 },
  { name: 'sa-east', short: 'sae', zones: 2 },
  { name: 'ca-central', short: 'cac', zones: 2 },
];
const MAX_ZONES = REGION_LADDER.reduce((n, r) => n + r.zones, 0);
/** One "unit" per cluster: order-api 3, payment-svc 2, inventory-svc 2, edge-gateway 1. */
const PER_UNIT = 8;
/** The v2 canaries of payment-svc and inventory-svc: one each in the first cluster of these zones. */
const CANARY_CLUSTERS = ['euw-a-1', 'use-a-1'];

interface Shape {
  /** Clusters per zone, in ladder order; zones beyond the fleet get none. */
  zones: Array<{ region: string; zone: string; clusters: string[] }>;
  /** Units (of PER_UNIT instances) per cluster, in cluster order. */
  units: number[];
}

/**
 * Where `n` instances go: up to today's 10 clusters with one unit each; beyond, clusters grow with
 * the square root of the fleet (more zones first, then more clusters per zone) and each cluster
 * holds several units, so 10,000 instances are ~126 clusters of ~80, not 1,250 clusters of 8.
 */
function shape(n: number): Shape {
  const units = Math.max(1, Math.round((n - 2 * CANARY_CLUSTERS.length) / PER_UNIT));
  const target = units <= 10 ? units : Math.round(10 * Math.sqrt(units / 10));
  const zoneCount = Math.min(MAX_ZONES, Math.ceil(target / 2));
  const perZone = units <= 10 ? 2 : Math.ceil(target / zoneCount);
  const clusterCount = units <= 10 ? units : zoneCount * perZone;
  const zones: Shape['zones'] = [];
  let left = clusterCount;
  for (const r of REGION_LADDER) {
    for (let z = 0; z < r.zones && left > 0; z++) {
      const letter = String.fromCharCode(97 + z);
      const count = Math.min(perZone, left);
      left -= count;
      zones.push({ region: r.name, zone: `${r.name}-${letter}`, clusters: Array.from({ length: count }, (_, c) => `${r.short}-${letter}-${c + 1}`) });
    }
  }
  // Spread the units evenly; the first clusters take the remainder.
  const base = Math.floor(units / clusterCount);
  const extra = units - base * clusterCount;
  return { zones, units: Array.from({ length: clusterCount }, (_, i) => base + (i < extra ? 1 : 0)) };
}

/** The demo platform at about `n` instances (exactly `n` ± 4 from one cluster of 10 up). */
export function demoFleetOfSize(n: number = DEMO_INSTANCES): FleetSpec {
  const { zones, units } = shape(n);
  const regions: FleetSpec['regions'] = [];
  for (const z of zones) {
    let region = regions.find((r) => r.name === z.region);
    if (!region) regions.push((region = { name: z.region, zones: [] }));
    region.zones.push({ name: z.zone, clusters: z.clusters });
  }
  const clusters = zones.flatMap((z) => z.clusters);
  const k = (i: number) => units[i]!;
  /** v1 everywhere plus one v2 instance in euw-a-1 and in use-a-1: a canary deployed, not yet routed to. */
  const withCanary = (v1PerUnit: number) =>
    clusters.map((cluster, i): { cluster: string; versions: Record<string, number> } => ({ cluster, versions: CANARY_CLUSTERS.includes(cluster) ? { v1: v1PerUnit * k(i), v2: 1 } : { v1: v1PerUnit * k(i) } }));
  const stableOnly = { versionWeights: { v1: 100 }, headerRules: [] };
  return {
    regions,
    services: [
      {
        name: 'order-api',
        description: 'Order intake: validates, reserves stock, writes orders',
        labels: { layer: 'service' },
        // 3 per unit: v2 runs beside v1 in every other cluster
        placement: clusters.map((cluster, i): { cluster: string; versions: Record<string, number> } => ({
          cluster,
          versions: i % 2 === 0 ? { v1: 2 * k(i), v2: k(i) } : { v1: 3 * k(i) },
        })),
        routing: {
          versionWeights: { v1: 90, v2: 10 },
          headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }],
        },
      },
      { name: 'payment-svc', description: 'Payment authorisation and capture', placement: withCanary(2), routing: stableOnly, labels: { layer: 'data' } },
      { name: 'inventory-svc', description: 'Stock levels and reservations', placement: withCanary(2), routing: stableOnly, labels: { layer: 'data' } },
      {
        name: 'edge-gateway',
        description: 'Protocol termination and connection reuse in front of the APIs',
        placement: clusters.map((cluster, i) => ({ cluster, versions: { v1: k(i) } })),
        labels: { layer: 'access' },
      },
    ],
  };
}

export const demoFleet: FleetSpec = demoFleetOfSize(DEMO_INSTANCES);

/** How many instances a fleet spec places. */
export const fleetSize = (spec: FleetSpec): number =>
  spec.services.reduce((n, s) => n + s.placement.reduce((m, p) => m + Object.values(p.versions).reduce((a, b) => a + b, 0), 0), 0);

/**
 * The simulator's peak demand per service for a demo of this shape. DEMO_DEMAND_RPS (the
 * simulator's default) is calibrated in absolute requests per second for the 84-instance demo;
 * a scaled demo left on it spreads the same traffic over ~120 times the instances at 10,000: each
 * runs at ~0.5 % of its capacity (2 rps), its stages flip idle ↔ active every tick (~9,000 stage
 * transitions a tick, against a handful at 84) and its weights sit near 100, which is neither the
 * demo's busy-but-not-saturated platform nor a fleet anyone runs. Each service's demand grows with
 * its instances, so every instance carries what it carries in the 84-instance demo. Undefined for
 * that demo itself, which keeps the simulator's default.
 */
export function demoDemandRps(spec: FleetSpec, base: Readonly<Record<string, number>>): Record<string, number> | undefined {
  if (fleetSize(spec) === DEMO_INSTANCES) return undefined;
  const count = (f: FleetSpec, name: string) => fleetSize({ ...f, services: f.services.filter((s) => s.name === name) });
  const out: Record<string, number> = {};
  for (const [name, rps] of Object.entries(base)) {
    const at84 = count(demoFleet, name);
    out[name] = at84 > 0 ? Math.round((rps * count(spec, name)) / at84) : rps;
  }
  return out;
}
