// The Overview's fleet health (getFleetHealth: one aggregate over the newest tick's samples) at
// fleet scale, with 30 ticks of every instance in TelemetrySample so the newest tick has to be
// found among older ones, as in a running console. `bytes` is the answer's JSON: one row.
import { getFleetHealth } from '../../server/services/topology/fleet-health';
import { demoFleet } from '../../prisma/demo-fleet';
import { syntheticFleet } from '../fleets';
import { summary } from '../lib';
import { benchFleet, benchSample, commitTick } from './lib/bench-fleet';
import type { Figures } from '../scale.bench';

const TICKS = 30;

export async function measure(instances: number): Promise<Figures> {
  const { db, client, stop } = await benchFleet(instances <= 100 ? demoFleet : syntheticFleet(instances), 4);
  try {
    const fleet = await db.instance.findMany({ select: { id: true } });
    const start = Math.floor(Date.now() / 1000) * 1000 - TICKS * 1000;
    for (let k = 0; k < TICKS; k++) {
      await commitTick(
        client,
        new Date(start + k * 1000),
        fleet.map((i, n) =>
          benchSample(i.id, {
            up: (n + k) % 97 !== 0,
            degradation: (n + k) % 41 === 0 ? 2 : 0,
            breaker: (n + k) % 89 === 0 ? 'open' : 'closed',
          }),
        ),
        [],
      );
    }
    await client.query('VACUUM ANALYZE');
    await getFleetHealth(db); // warm-up (plans, connections)
    const ms: number[] = [];
    let bytes = 0;
    let unhealthy = 0;
    for (let r = 0; r < 15; r++) {
      const t = performance.now();
      const h = await getFleetHealth(db);
      ms.push(performance.now() - t);
      bytes = JSON.stringify(h).length;
      unhealthy = h.unhealthy;
    }
    const s = summary(ms);
    return { instances: fleet.length, samples: fleet.length * TICKS, unhealthy, readP50Ms: Math.round(s.p50), readP95Ms: Math.round(s.p95), bytes };
  } finally {
    await stop();
  }
}
