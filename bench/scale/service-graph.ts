// The service graph's read at fleet scale: getServiceGraph (two grouped statements over the
// tick's samples and per-version samples, plus the small tables) on one committed tick of
// every instance, with declared calls between the synthetic fleet's services. `bytes` is the
// graph's JSON (what serviceGraph.live sends per tick), flat in the number of instances.
import { demoFleet } from '../../prisma/demo-fleet';
import { seedDemoCalls } from '../../prisma/demo-calls';
import { LATENCY_BUCKET_COUNT } from '../../server/domain/latency-buckets';
import { getServiceGraph } from '../../server/services/topology/service-graph';
import { syntheticFleet } from '../fleets';
import { summary } from '../lib';
import { benchFleet, benchSample, commitTick } from './lib/bench-fleet';
import type { Figures } from '../scale.bench';

/** svc-0 → svc-1, svc-2; svc-1 → svc-3, svc-4; … a three-layer tree over the synthetic services. */
const SYNTHETIC_CALLS: Record<string, string[]> = {
  'svc-0': ['svc-1', 'svc-2'],
  'svc-1': ['svc-3', 'svc-4', 'svc-5'],
  'svc-2': ['svc-5', 'svc-6', 'svc-7'],
  'svc-5': ['svc-8', 'svc-9'],
};

const sample = (instanceId: string, i: number) =>
  benchSample(instanceId, {
    up: i % 97 !== 0,
    p95Ms: 40 + (i % 50),
    rps: 50 + (i % 7),
    errorRate: i % 13 === 0 ? 0.05 : 0,
    degradation: i % 41 === 0 ? 1 : 0,
    breaker: i % 89 === 0 ? 'open' : 'closed',
    stageFill: [0.1, i % 37 === 0 ? 0.9 : 0.1, 0.1, 0.1, 0.1],
  });

export async function measure(instances: number): Promise<Figures> {
  const demo = instances <= 100;
  const { db, client, stop } = await benchFleet(demo ? demoFleet : syntheticFleet(instances), 4);
  try {
    await seedDemoCalls(db, demo ? undefined : SYNTHETIC_CALLS);
    const fleet = await db.instance.findMany({ select: { id: true, serviceId: true, appVersion: true, cluster: { select: { zone: { select: { name: true } } } } } });
    const groups = new Map<string, { serviceId: string; appVersion: string; zone: string; instances: number; requests: number; errors: number; buckets: number[] }>();
    for (const i of fleet) {
      const key = `${i.serviceId}/${i.appVersion}/${i.cluster.zone.name}`;
      const g = groups.get(key) ?? { serviceId: i.serviceId, appVersion: i.appVersion, zone: i.cluster.zone.name, instances: 0, requests: 0, errors: 0, buckets: new Array<number>(LATENCY_BUCKET_COUNT).fill(1) };
      g.instances++;
      g.requests += 50;
      groups.set(key, g);
    }
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    await commitTick(client, at, fleet.map((i, n) => sample(i.id, n)), [...groups.values()]);
    await client.query('VACUUM ANALYZE');

    await getServiceGraph(db); // warm-up (plans, connections)
    const ms: number[] = [];
    let bytes = 0;
    let nodes = 0;
    let edges = 0;
    for (let r = 0; r < 15; r++) {
      const t = performance.now();
      const g = await getServiceGraph(db);
      ms.push(performance.now() - t);
      bytes = JSON.stringify(g).length;
      nodes = g.nodes.length;
      edges = g.edges.length;
    }
    const s = summary(ms);
    return { instances: fleet.length, services: nodes, calls: edges, readP50Ms: Math.round(s.p50), readP95Ms: Math.round(s.p95), bytes };
  } finally {
    await stop();
  }
}
