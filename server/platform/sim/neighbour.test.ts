import { describe, expect, it } from 'vitest';
import { initialRuntime, stepInstance, type InstanceRuntime } from '../../domain/instance-step';
import type { FleetPolicies, InstanceTelemetry } from '../../domain/model';
import { defaultPolicies } from '../../domain/policy-defaults';
import { DEMO_SIM_CONFIG, describeIssues, simConfigSchema, type SimConfigInput } from './config';
import { NEIGHBOUR_FIRST_GAP, NEIGHBOUR_GAP, NEIGHBOUR_MAX_S, NEIGHBOUR_MAX_VICTIMS, NEIGHBOUR_MIN_S, NoisyNeighbour, type NeighbourCandidate } from './neighbour';
import { demoSim } from './test-fleet';

const HOT = 'eu-west-b';
const policies: FleetPolicies = { weight: defaultPolicies.weight, watermark: defaultPolicies.watermark, breaker: defaultPolicies.breaker };
const hotIds = Array.from({ length: 16 }, (_, n) => `hot-${String(n).padStart(2, '0')}`);
const everyone = (ids: readonly string[]): NeighbourCandidate[] => ids.map((id) => ({ id, eligible: true }));

interface Burst {
  id: string;
  fromS: number;
  toS: number;
}

/** Run a scheduler second by second and list its bursts (start and end, in seconds from 0). */
function schedule(cfg: { seed: number; hotZone: string | null; noisyNeighbourIntervalS: number | null }, seconds: number, candidates = everyone(hotIds)): Burst[] {
  const n = new NoisyNeighbour(cfg);
  const t0 = Date.UTC(2030, 0, 1);
  const open = new Map<string, number>();
  const out: Burst[] = [];
  for (let s = 0; s <= seconds; s++) {
    const hit = n.advance(t0 + s * 1000, candidates);
    for (const id of hit) if (!open.has(id)) open.set(id, s);
    for (const [id, from] of open) {
      if (hit.has(id)) continue;
      out.push({ id, fromS: from, toS: s });
      open.delete(id);
    }
  }
  for (const [id, from] of open) out.push({ id, fromS: from, toS: Infinity });
  return out;
}

describe('noisy neighbour: schedule', () => {
  const cfg = { seed: 42, hotZone: HOT, noisyNeighbourIntervalS: 60 };

  it('is the same for the same seed and different for another', () => {
    expect(schedule(cfg, 600)).toEqual(schedule(cfg, 600));
    expect(schedule({ ...cfg, seed: 43 }, 600)).not.toEqual(schedule(cfg, 600));
  });

  it('hits one or two instances for 10–30 s, first after 0.4–0.8 × the interval, then every 0.5–1.5 ×', () => {
    for (const seed of [1, 2, 3, 42]) {
      const bursts = schedule({ ...cfg, seed }, 3_600);
      const starts = [...new Set(bursts.map((b) => b.fromS))].sort((a, b) => a - b);
      expect(starts[0]!).toBeGreaterThanOrEqual(NEIGHBOUR_FIRST_GAP[0] * 60);
      expect(starts[0]!).toBeLessThanOrEqual(NEIGHBOUR_FIRST_GAP[1] * 60 + 1);
      for (let k = 1; k < starts.length; k++) {
        expect(starts[k]! - starts[k - 1]!).toBeGreaterThanOrEqual(NEIGHBOUR_GAP[0] * 60);
        expect(starts[k]! - starts[k - 1]!).toBeLessThanOrEqual(NEIGHBOUR_GAP[1] * 60 + 1);
      }
      // About one an hour per minute of interval.
      expect(starts.length).toBeGreaterThan(45);
      expect(starts.length).toBeLessThan(75);
      for (const s of starts) {
        const victims = bursts.filter((b) => b.fromS === s);
        expect(victims.length).toBeGreaterThanOrEqual(1);
        expect(victims.length).toBeLessThanOrEqual(NEIGHBOUR_MAX_VICTIMS);
      }
      for (const b of bursts.filter((x) => x.toS !== Infinity)) {
        expect(b.toS - b.fromS).toBeGreaterThanOrEqual(NEIGHBOUR_MIN_S);
        expect(b.toS - b.fromS).toBeLessThanOrEqual(NEIGHBOUR_MAX_S + 1);
      }
      // Over an hour, the bursts spread over the zone rather than picking on one instance.
      expect(new Set(bursts.map((b) => b.id)).size).toBeGreaterThanOrEqual(12);
    }
  });

  it('never picks an instance that is out of service, and keeps the schedule when one is', () => {
    const drained = new Set(hotIds.slice(0, 8));
    const some = hotIds.map((id) => ({ id, eligible: !drained.has(id) }));
    const all = schedule(cfg, 1_800);
    const partial = schedule(cfg, 1_800, some);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.every((b) => !drained.has(b.id))).toBe(true);
    // The same start times: draining an instance does not reshuffle the later bursts.
    const starts = (bursts: Burst[]) => [...new Set(bursts.map((b) => b.fromS))].sort((a, b) => a - b);
    expect(starts(partial)).toEqual(starts(all));
    expect(schedule(cfg, 600, hotIds.map((id) => ({ id, eligible: false })))).toEqual([]);
  });

  it('is off with 0, null or no hot zone', () => {
    expect(schedule({ ...cfg, noisyNeighbourIntervalS: 0 }, 600)).toEqual([]);
    expect(schedule({ ...cfg, noisyNeighbourIntervalS: null }, 600)).toEqual([]);
    expect(schedule({ ...cfg, hotZone: null }, 600)).toEqual([]);
  });

  it('restarts from now after a long pause of the clock instead of replaying what it missed', () => {
    const n = new NoisyNeighbour(cfg);
    const t0 = Date.UTC(2030, 0, 1);
    n.advance(t0, everyone(hotIds));
    const hit = n.advance(t0 + 86_400_000, everyone(hotIds));
    expect(hit.size).toBeGreaterThanOrEqual(1);
    expect(hit.size).toBeLessThanOrEqual(NEIGHBOUR_MAX_VICTIMS);
  });
});

describe('noisy neighbour: setting', () => {
  it('is on by default, once a minute, and in the demo configuration', () => {
    expect(simConfigSchema.parse({}).noisyNeighbourIntervalS).toBe(60);
    expect(simConfigSchema.parse(DEMO_SIM_CONFIG).noisyNeighbourIntervalS).toBe(60);
    expect(simConfigSchema.parse({ noisyNeighbourIntervalS: null }).noisyNeighbourIntervalS).toBeNull();
    expect(simConfigSchema.parse({ noisyNeighbourIntervalS: 0 }).noisyNeighbourIntervalS).toBe(0);
  });

  it('explains a bad value in words', () => {
    const msg = (v: unknown) => describeIssues(simConfigSchema.safeParse({ noisyNeighbourIntervalS: v }).error!);
    expect(msg(5)).toBe('noisyNeighbourIntervalS: expected 0 (none) or 10 to 86400 seconds');
    expect(msg(-1)).toBe('noisyNeighbourIntervalS: expected 0 (none) or 10 to 86400 seconds');
    expect(msg('often')).toBe('noisyNeighbourIntervalS: expected seconds (0 or null for none)');
  });
});

interface BreakerEvent {
  tick: number;
  instanceId: string;
  zone: string;
  from: string;
  to: string;
}

/**
 * The telemetry loop in miniature (server/jobs/telemetry/loop.ts): read a tick, step every
 * instance with the real domain, apply the changed effective weights back to the simulator.
 * Starts `offsetS` after a diurnal peak; returns the instance breakers' transitions.
 */
async function runLoop(overrides: SimConfigInput, offsetS: number, ticks: number) {
  const { sim, fleet, start } = await demoSim({ ...DEMO_SIM_CONFIG, ...overrides });
  const t0 = start + offsetS * 1000;
  const zone = new Map(fleet.instances.map((i) => [i.id, i.zone]));
  const runtimes = new Map<string, InstanceRuntime>(fleet.instances.map((i) => [i.id, initialRuntime(t0)]));
  const applied = new Map<string, number>();
  const events: BreakerEvent[] = [];
  const telemetry: InstanceTelemetry[][] = [];
  let final = new Map<string, string>();
  for (let k = 0; k < ticks; k++) {
    const now = t0 + k * 1000;
    const tick = await sim.readTelemetry(new Date(now));
    telemetry.push(tick);
    const weights: Array<{ instanceId: string; weight: number }> = [];
    final = new Map();
    for (const inst of fleet.instances) {
      const t = tick.find((x) => x.instanceId === inst.id)!;
      const res = stepInstance(runtimes.get(inst.id)!, { telemetry: t, adminState: inst.adminState, now, policies });
      runtimes.set(inst.id, res.runtime);
      final.set(inst.id, res.breaker);
      // The instance breaker; the ingress isolation (stage 'access') is a breaker of its own.
      for (const tr of res.transitions) if (tr.machine === 'breaker' && tr.stage === undefined) events.push({ tick: k, instanceId: inst.id, zone: zone.get(inst.id)!, from: tr.from, to: tr.to });
      const w = Math.round(res.effectiveWeight);
      if (applied.get(inst.id) !== w) weights.push({ instanceId: inst.id, weight: w });
    }
    if (weights.length > 0) {
      await sim.applyWeights(weights);
      for (const w of weights) applied.set(w.instanceId, w.weight);
    }
  }
  return { events, telemetry, final };
}

// Two times of day away from the diurnal peak: the trough, and halfway up towards the peak. At the
// peak itself the hot zone is overloaded enough to open a breaker now and then without help.
const TIMES = [
  { name: 'at the diurnal trough', offsetS: 43_200 },
  { name: 'halfway from trough to peak', offsetS: 64_800 },
];

describe.each(TIMES)('noisy neighbour in the seeded demo, $name', ({ offsetS }) => {
  it('opens breakers in the hot zone within 90 s, only there, and they recover', async () => {
    const { events, telemetry, final } = await runLoop({}, offsetS, 120);
    const opens = events.filter((e) => e.from === 'closed' && e.to === 'open');
    expect(opens.filter((e) => e.tick < 90).length).toBeGreaterThanOrEqual(1);
    expect(opens.map((e) => e.zone).filter((z) => z !== HOT)).toEqual([]);
    expect(events.every((e) => e.zone === HOT)).toBe(true);
    // An opened breaker half-opens after its cool-down, and closes once the burst is over.
    const first = opens[0]!;
    const after = events.filter((e) => e.instanceId === first.instanceId && e.tick > first.tick);
    expect(after.some((e) => e.from === 'open' && e.to === 'half-open')).toBe(true);
    expect(after.some((e) => e.to === 'closed')).toBe(true);
    for (const o of opens.filter((e) => e.tick < 60)) expect(final.get(o.instanceId), o.instanceId).toBe('closed');
    // In flight stays within the instance's limit, even under a burst.
    for (const tick of telemetry) for (const t of tick) if (t.up) expect(t.activeRequests!, t.instanceId).toBeLessThanOrEqual(t.maxConcurrency!);
  });

  it('opens no breaker without the noisy neighbour', async () => {
    const { events } = await runLoop({ noisyNeighbourIntervalS: 0 }, offsetS, 120);
    expect(events.filter((e) => e.to === 'open')).toEqual([]);
  });
});

describe('noisy neighbour: effect on the fleet', () => {
  it('slows only its victims in the hot zone; every other instance runs exactly as without it', { timeout: 20_000 }, async () => {
    const on = await demoSim({ ...DEMO_SIM_CONFIG, spikeProbability: 0 });
    const off = await demoSim({ ...DEMO_SIM_CONFIG, spikeProbability: 0, noisyNeighbourIntervalS: 0 });
    const zone = new Map(on.fleet.instances.map((i) => [i.id, i.zone]));
    const changed = new Set<string>();
    for (let k = 0; k < 120; k++) {
      const a = await on.sim.readTelemetry(on.at(k));
      const b = await off.sim.readTelemetry(off.at(k));
      for (let i = 0; i < a.length; i++) {
        if (zone.get(a[i]!.instanceId) !== HOT) expect(a[i], a[i]!.instanceId).toEqual(b[i]);
        else if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) changed.add(a[i]!.instanceId);
        expect(a[i]!.activeRequests!).toBeLessThanOrEqual(a[i]!.maxConcurrency!);
        // The limit is the instance's own: a burst slows it, it does not shrink its buffers.
        expect(a[i]!.maxConcurrency).toBe(b[i]!.maxConcurrency);
      }
    }
    // Bursts in 120 s hit a few of the 16 hot instances, not the zone.
    expect(changed.size).toBeGreaterThanOrEqual(1);
    expect(changed.size).toBeLessThanOrEqual(3 * NEIGHBOUR_MAX_VICTIMS);
  });
});
