import type { FleetSpec } from '../server/db/factories';

// The demo platform of SPEC/issue 3: 2 regions, 5 zones, 10 clusters, 4 services, 84 instances;
// order-api runs v1 and v2 with a 90/10 split and a header rule for the canary group; payment-svc
// and inventory-svc have two v2 instances deployed (one in eu-west-a, one in us-east-a) that get no
// traffic until a rollout sends them some; edge-gateway is one pool of v1 (stored without routing).
// Each service carries its `layer` label (access | service | data): the chaos report groups its
// per-layer SLA table by it (SPEC §3.7), and the call graph edge-gateway → order-api →
// inventory-svc, payment-svc (the simulator's `calls`) runs from the access layer down to data.
const regions: FleetSpec['regions'] = [
  {
    name: 'eu-west',
    zones: [
      { name: 'eu-west-a', clusters: ['euw-a-1', 'euw-a-2'] },
      { name: 'eu-west-b', clusters: ['euw-b-1', 'euw-b-2'] },
      { name: 'eu-west-c', clusters: ['euw-c-1', 'euw-c-2'] },
    ],
  },
  {
    name: 'us-east',
    zones: [
      { name: 'us-east-a', clusters: ['use-a-1', 'use-a-2'] },
      { name: 'us-east-b', clusters: ['use-b-1', 'use-b-2'] },
    ],
  },
];

const clusters = regions.flatMap((r) => r.zones.flatMap((z) => z.clusters));
const everywhere = (versions: Record<string, number>) => clusters.map((cluster) => ({ cluster, versions }));

/** v1 everywhere plus one v2 instance in euw-a-1 and in use-a-1: a canary deployed, not yet routed to. */
const withCanary = (versions: Record<string, number>) => clusters.map((cluster) => ({ cluster, versions: cluster === 'euw-a-1' || cluster === 'use-a-1' ? { ...versions, v2: 1 } : versions }));
const stableOnly = { versionWeights: { v1: 100 }, headerRules: [] };

export const demoFleet: FleetSpec = {
  regions,
  services: [
    {
      name: 'order-api',
      description: 'Order intake: validates, reserves stock, writes orders',
      labels: { layer: 'service' },
      // 30 instances: v2 runs beside v1 in every other cluster
      placement: clusters.map((cluster, i): { cluster: string; versions: Record<string, number> } => ({
        cluster,
        versions: i % 2 === 0 ? { v1: 2, v2: 1 } : { v1: 3 },
      })),
      routing: {
        versionWeights: { v1: 90, v2: 10 },
        headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }],
      },
    },
    { name: 'payment-svc', description: 'Payment authorisation and capture', placement: withCanary({ v1: 2 }), routing: stableOnly, labels: { layer: 'data' } },
    { name: 'inventory-svc', description: 'Stock levels and reservations', placement: withCanary({ v1: 2 }), routing: stableOnly, labels: { layer: 'data' } },
    {
      name: 'edge-gateway',
      description: 'Protocol termination and connection reuse in front of the APIs',
      placement: everywhere({ v1: 1 }),
      labels: { layer: 'access' },
    },
  ],
};
