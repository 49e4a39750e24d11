// Fleets for the simulator's tests and one-off measurements, built as FleetView objects (no
// database). Ids are readable: a service's id is `svc:<name>`, an instance's id is its name
// (the naming of server/db/factories.ts: `<service>-<cluster>-<version>-<n>`).
import type { FleetSpec } from '../../db/factories';
import type { InstanceTelemetry, ServiceRouting } from '../../domain/model';
import type { FleetInstance, FleetView } from '../adapter';
import { demoFleet } from '../../../prisma/demo-fleet';
import { createSimAdapter, type SimAdapter } from './adapter';
import { simConfigSchema, type SimConfigInput } from './config';
import { nextPeak } from './demand';

export const serviceId = (name: string) => `svc:${name}`;

export function fleetFromSpec(spec: FleetSpec): FleetView {
  const where = new Map<string, { zone: string; region: string }>();
  for (const r of spec.regions) for (const z of r.zones) for (const c of z.clusters) where.set(c, { zone: z.name, region: r.name });
  const instances: FleetInstance[] = [];
  const services = spec.services.map((s) => {
    for (const p of s.placement) {
      const loc = where.get(p.cluster);
      if (!loc) throw new Error(`fleetFromSpec: unknown cluster ${p.cluster}`);
      for (const [appVersion, count] of Object.entries(p.versions)) {
        for (let n = 1; n <= count; n++) {
          const name = `${s.name}-${p.cluster}-${appVersion}-${n}`;
          instances.push({ id: name, name, serviceId: serviceId(s.name), serviceName: s.name, appVersion, region: loc.region, zone: loc.zone, cluster: p.cluster, address: '', adminState: 'ready' });
        }
      }
    }
    // As stored: a service seeded without routing has `{}`.
    return { id: serviceId(s.name), name: s.name, routing: (s.routing ?? {}) as unknown as ServiceRouting };
  });
  return { services, instances };
}

/** The seeded demo fleet (prisma/demo-fleet.ts): 84 instances, hot zone eu-west-b. */
export const demoFleetView = (): FleetView => fleetFromSpec(demoFleet);

/** About `n` instances: `services` services over 10 zones × 4 clusters, every third with a v2 canary. */
export function largeFleetView(n: number, services = 20): FleetView {
  const regions = Array.from({ length: 2 }, (_, r) => ({
    name: `region-${r}`,
    zones: Array.from({ length: 5 }, (_, z) => ({ name: `region-${r}-z${z}`, clusters: Array.from({ length: 4 }, (_, c) => `r${r}-z${z}-c${c}`) })),
  }));
  const clusters = regions.flatMap((r) => r.zones.flatMap((z) => z.clusters));
  const perCluster = Math.max(1, Math.round(n / (services * clusters.length)));
  return fleetFromSpec({
    regions,
    services: Array.from({ length: services }, (_, s) => ({
      name: `svc-${s}`,
      routing: (s % 3 === 0
        ? { versionWeights: { v1: 90, v2: 10 }, headerRules: [{ header: 'X-Abtest-Group', equals: 'v2-canary', version: 'v2' }] }
        : { versionWeights: { v1: 100 }, headerRules: [] }) satisfies ServiceRouting,
      placement: clusters.map((cluster, i) => {
        const versions: Record<string, number> = s % 3 === 0 && i % 4 === 0 ? { v1: Math.max(1, perCluster - 1), v2: 1 } : { v1: perCluster };
        return { cluster, versions };
      }),
    })),
  });
}

/** A simulator on the demo fleet; `at(k)` is the clock of tick k (1 s apart, starting at a diurnal peak). */
export async function demoSim(overrides: SimConfigInput = {}, fleet: FleetView = demoFleetView()) {
  const config = simConfigSchema.parse(overrides);
  const sim = createSimAdapter(config);
  await sim.setFleet(fleet);
  const start = nextPeak(Date.UTC(2030, 0, 1), config);
  return { sim, fleet, config, start, at: (k: number) => new Date(start + k * 1000) };
}

/** Read `count` ticks from tick `from` (1 s apart) and return them, oldest first. */
export async function runTicks(sim: SimAdapter, at: (k: number) => Date, from: number, count: number): Promise<InstanceTelemetry[][]> {
  const out: InstanceTelemetry[][] = [];
  for (let k = from; k < from + count; k++) out.push(await sim.readTelemetry(at(k)));
  return out;
}

/** One instance's entry in a tick. */
export function pick(tick: readonly InstanceTelemetry[], instanceId: string): InstanceTelemetry {
  const t = tick.find((x) => x.instanceId === instanceId);
  if (!t) throw new Error(`no telemetry for ${instanceId}`);
  return t;
}

/** Mean of a measure of one instance over ticks. */
export function meanOf(ticks: readonly InstanceTelemetry[][], instanceId: string, measure: (t: InstanceTelemetry) => number | undefined): number {
  return ticks.reduce((s, tick) => s + (measure(pick(tick, instanceId)) ?? NaN), 0) / ticks.length;
}
