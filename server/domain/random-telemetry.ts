// Seeded random telemetry for the step tests: every machine moves (fills that drift and jump, down
// ticks, missing inputs, rows without stages, drains, error bursts, ingress timeouts). Each call
// of the returned function is the next tick's input; the draws are in a fixed order, so a seed
// gives the same stream on every run.
import { STAGES, type AdminState, type InstanceTelemetry } from './model';
import type { SeededRandom } from './seeded-random';

export function randomTelemetry(rnd: SeededRandom, instanceId: string, t0: number): () => { telemetry: InstanceTelemetry; adminState: AdminState; now: number } {
  const fills = STAGES.map(() => rnd.next());
  let admin: AdminState = 'ready';
  let now = t0;
  return () => {
    now += rnd.int(900, 1100);
    if (rnd.chance(0.01)) admin = rnd.chance(0.7) ? 'ready' : 'drain';
    for (let i = 0; i < fills.length; i++) fills[i] = rnd.chance(0.03) ? rnd.next() : Math.min(1, Math.max(0, fills[i]! + rnd.range(-0.08, 0.08)));
    const requests = rnd.chance(0.1) ? 0 : rnd.int(1, 300);
    const t: InstanceTelemetry = {
      instanceId,
      up: !rnd.chance(0.03),
      cpuPct: rnd.chance(0.1) ? undefined : rnd.range(0, 100),
      p95Ms: rnd.chance(0.1) ? undefined : rnd.range(50, 2500),
      connections: rnd.chance(0.1) ? undefined : rnd.range(0, 6000),
      rtMs: rnd.range(20, 800),
      requests,
      errors: rnd.chance(0.1) ? requests : rnd.int(0, Math.floor(requests / 10)),
      activeRequests: rnd.int(0, 128),
      maxConcurrency: 128,
      stages: rnd.chance(0.05) ? undefined : fills.map((fill) => ({ fill, inputs: rnd.int(0, 3), outputs: rnd.int(0, 3), outputBlocked: fill > 0.97 || rnd.chance(0.05) })),
      ingressWriteTimeouts: rnd.chance(0.3) ? rnd.int(1, 5) : 0,
    };
    return { telemetry: t, adminState: admin, now };
  };
}
