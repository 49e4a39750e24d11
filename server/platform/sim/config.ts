// Settings of the simulator (validated once with zod) and the operator-facing controls that bend
// its load for a demo or a drill. Every control carries an expiry and is ignored after it.
import { z } from 'zod';
import { findCycle } from './calls';

const fraction = (what: string) =>
  z.number({ error: `${what}: expected a number from 0 to 1` }).min(0, `${what}: expected a number from 0 to 1`).max(1, `${what}: expected a number from 0 to 1`);
const positive = (what: string) => z.number({ error: `${what}: expected a positive number` }).positive(`${what}: expected a positive number`);

/** Unknown keys are refused with the list of known ones, so a typo never silently falls back to a default. */
function strictMessage(known: readonly string[], what: string) {
  return (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `unknown ${what} ${(issue.keys ?? []).map((k) => `"${k}"`).join(', ')} (known: ${known.join(', ')})` : undefined;
}

/**
 * Peak demand per service name for the demo fleet (prisma/demo-fleet.ts), in requests per second:
 * about 58–60 % of the service's nominal capacity at the diurnal peak (capacityRps × instances), so
 * the fleet is busy but not saturated; the hot zone's instances, at half capacity, are (and stay near
 * or beyond their thresholds even at the diurnal trough).
 */
export const DEMO_DEMAND_RPS: Readonly<Record<string, number>> = {
  'order-api': 9_000, // 30 instances × 500 rps × 0.60 (v1 instances carry more: 90 % of it on 25 of 30)
  'payment-svc': 6_000, // 20 × 500 × 0.60
  'inventory-svc': 6_000, // 20 × 500 × 0.60
  'edge-gateway': 2_900, // 10 × 500 × 0.58
};

/**
 * The default catalogue: A/B groups (3 % opted into the canary group), device types, and user ids
 * in ten equal buckets by their last digit (`user-…0` … `user-…9`), so `X-User-Id` regex rules such
 * as `[0-4]$` select a computable half of the users.
 */
export const DEFAULT_HEADER_MIX: Readonly<Record<string, number>> = {
  'X-Abtest-Group=v1-stable': 0.05,
  'X-Abtest-Group=v2-canary': 0.03,
  'X-Abtest-Group=v2-beta': 0.02,
  'X-Device-Type=ios': 0.35,
  'X-Device-Type=android': 0.4,
  'X-Device-Type=web': 0.25,
  ...Object.fromEntries(Array.from({ length: 10 }, (_, d) => [`X-User-Id=user-100${d}`, 0.1])),
};

/** Headers (case-insensitive) whose value fractions add up to more than 1. */
function headersOverOne(mix: Record<string, number>): string[] {
  const sums = new Map<string, number>();
  for (const [k, f] of Object.entries(mix)) {
    const h = k.slice(0, k.indexOf('=')).toLowerCase();
    sums.set(h, (sums.get(h) ?? 0) + f);
  }
  return [...sums].filter(([, f]) => f > 1 + 1e-9).map(([h]) => h);
}

const configShape = {
  /** Seed of every random stream (per instance and per service, derived with their names). */
  seed: z.number({ error: 'seed: expected a whole number' }).int('seed: expected a whole number').default(42),
  /** Zone whose instances share their hosts with a noisy neighbour; null = none. */
  hotZone: z.string({ error: 'hotZone: expected a zone name or null' }).max(200, 'hotZone: at most 200 characters').min(1, 'hotZone: expected a zone name or null').nullable().default('eu-west-b'),
  /** Fraction of its nominal capacity a hot-zone instance keeps. */
  hotZoneCapacity: positive('hotZoneCapacity').max(1, 'hotZoneCapacity: expected a fraction of at most 1').default(0.5),
  /**
   * Mean seconds between noisy-neighbour bursts in the hot zone (neighbour.ts): one or two of its
   * instances lose 90 % of their remaining execution (I/O) capacity for 10–30 s, so their queues
   * fill and their breakers open and recover (a steady overload alone rarely opens them). The first
   * burst comes after 0.4–0.8 × this, later ones after 0.5–1.5 × this. 0 or null: none.
   */
  noisyNeighbourIntervalS: z
    .number({ error: 'noisyNeighbourIntervalS: expected seconds (0 or null for none)' })
    .refine((v) => v === 0 || (v >= 10 && v <= 86_400), 'noisyNeighbourIntervalS: expected 0 (none) or 10 to 86400 seconds')
    .nullable()
    .default(60),
  /** Requests per second one instance serves at 100 % of its bottleneck stage (execution). */
  capacityRps: positive('capacityRps').default(500),
  /** Peak requests per second per service name (at the top of the diurnal curve, before noise and spikes). */
  demandRps: z
    .record(z.string().max(200, 'demandRps: service names of at most 200 characters').min(1, 'demandRps: expected service names'), z.number({ error: 'demandRps: expected requests per second' }).min(0, 'demandRps: expected requests per second ≥ 0'))
    .default(() => ({ ...DEMO_DEMAND_RPS })),
  /** Peak demand of a service missing from demandRps, as a fraction of its instances' nominal capacity. */
  defaultUtilisation: z.number({ error: 'defaultUtilisation: expected a number from 0 to 2' }).min(0, 'defaultUtilisation: expected a number from 0 to 2').max(2, 'defaultUtilisation: expected a number from 0 to 2').default(0.6),
  /**
   * The header values requests carry (SPEC §3.6): fraction of all requests per `${header}=${value}`.
   * Exact header rules take their value's fraction; prefix and regex rules the sum over the values
   * they match, so the catalogue names every value a demo rule may aim at.
   */
  headerMix: z
    .record(z.string().max(400, 'headerMix: keys of at most 400 characters').regex(/^[^=]+=/, 'headerMix: expected keys of the form Header=value'), fraction('headerMix'))
    .superRefine((mix, ctx) => {
      const over = headersOverOne(mix);
      if (over.length > 0) ctx.addIssue({ code: 'custom', message: `headerMix: the fractions of ${over.join(', ')} add up to more than 1` });
    })
    .default(() => ({ ...DEFAULT_HEADER_MIX })),
  /** Length of one diurnal cycle in seconds of the clock passed to readTelemetry (shorter for demos). */
  diurnalPeriodS: z.number({ error: 'diurnalPeriodS: expected seconds' }).min(60, 'diurnalPeriodS: expected at least 60 seconds').default(86_400),
  /** Depth of the diurnal trough: demand at the trough is (1 − depth) × peak. */
  diurnalDepth: z.number({ error: 'diurnalDepth: expected a number from 0 to 0.9' }).min(0, 'diurnalDepth: expected a number from 0 to 0.9').max(0.9, 'diurnalDepth: expected a number from 0 to 0.9').default(0.25),
  /** Where in the cycle the peak sits (0..1 of the period from the epoch; 0.58 ≈ 14:00 UTC for 24 h). */
  diurnalPeakPhase: fraction('diurnalPeakPhase').default(0.58),
  /** Standard deviation of the slow multiplicative noise on each service's demand. */
  noisePct: z.number({ error: 'noisePct: expected a number from 0 to 0.5' }).min(0, 'noisePct: expected a number from 0 to 0.5').max(0.5, 'noisePct: expected a number from 0 to 0.5').default(0.03),
  /** Probability per second and service that a traffic spike starts. */
  spikeProbability: fraction('spikeProbability').default(0.0005),
  /** Demand multiplier at the top of a spike. */
  spikeFactor: z.number({ error: 'spikeFactor: expected a multiplier ≥ 1' }).min(1, 'spikeFactor: expected a multiplier ≥ 1').max(10, 'spikeFactor: expected a multiplier ≤ 10').default(1.3),
  spikeDurationS: positive('spikeDurationS').default(45),
  /** Client timeout: a request slower than this counts as a timeout; latencies are capped at it. */
  requestTimeoutMs: positive('requestTimeoutMs').default(5_000),
  /**
   * Which services each service calls (by name): a callee's load follows its callers' hedges and
   * retries, its failures reach them (calls.ts). Names the fleet does not have are ignored; {} = none.
   * Absent = none, so the simulator keeps independent services (its calibration and tests);
   * DEMO_CALLS is the demo fleet's graph.
   */
  calls: z
    .record(
      z.string().max(200, 'calls: service names of at most 200 characters').min(1, 'calls: expected service names'),
      z.array(z.string({ error: 'calls: expected a list of service names' }).max(200, 'calls: service names of at most 200 characters').min(1, 'calls: expected service names')).max(50, 'calls: at most 50 callees per service'),
    )
    .refine((c) => Object.keys(c).length <= 500, 'calls: at most 500 callers')
    .superRefine((c, ctx) => {
      const self = Object.entries(c).find(([caller, list]) => list.includes(caller));
      const cycle = self ? undefined : findCycle(c);
      if (self) ctx.addIssue({ code: 'custom', message: `calls: ${self[0]} calls itself` });
      else if (cycle) ctx.addIssue({ code: 'custom', message: `calls: the graph has a cycle (${cycle})` });
    })
    .default(() => ({})),
  /** Mean time a keep-alive connection stays open per request it carries (connections = λ × lifetime). */
  keepAliveS: positive('keepAliveS').default(7.5),
};

/**
 * The settings the seed stores for the demo (prisma/seed.ts): eu-west-b keeps 35 % of its capacity
 * and its hosts have a noisy neighbour about once a minute, so that weights, watermarks and
 * breakers are all at work within a minute of the first start; spikes are frequent enough to see.
 * Without the call graph (calls.ts, DEMO_CALLS) for now: with it, the demo's spikes and hot zone
 * cascade (about three times the breaker openings at baseline under the control loop), which the
 * other demos and tests were not calibrated for.
 */
export const DEMO_SIM_CONFIG = {
  seed: 42,
  hotZone: 'eu-west-b',
  hotZoneCapacity: 0.35,
  spikeProbability: 0.003,
  spikeFactor: 1.5,
  noisyNeighbourIntervalS: 60,
} as const satisfies SimConfigInput;

export const simConfigSchema = z.object(configShape, { error: strictMessage(Object.keys(configShape), 'sim setting') }).strict();

/** The parsed settings (every field filled in). Build one with `simConfigSchema.parse({...})`. */
export type SimConfig = z.output<typeof simConfigSchema>;
/** What a caller may write: every field optional. */
export type SimConfigInput = z.input<typeof simConfigSchema>;

const until = z.iso.datetime({ offset: true, error: 'until: expected an ISO date-time such as 2030-01-01T12:00:00Z' });

const demandShape = {
  serviceId: z.string({ error: 'serviceId: expected a service id' }).max(64, 'serviceId: expected a service id').min(1, 'serviceId: expected a service id'),
  factor: z.number({ error: 'factor: expected a multiplier from 0 to 20' }).min(0, 'factor: expected a multiplier from 0 to 20').max(20, 'factor: expected a multiplier from 0 to 20'),
  until,
};
const stressShape = {
  instanceId: z.string({ error: 'instanceId: expected an instance id' }).max(64, 'instanceId: expected an instance id').min(1, 'instanceId: expected an instance id'),
  cpuPct: z.number({ error: 'cpuPct: expected a percentage from 0 to 100' }).min(0, 'cpuPct: expected a percentage from 0 to 100').max(100, 'cpuPct: expected a percentage from 0 to 100'),
  until,
};
const versionShape = {
  version: z.string({ error: 'version: expected a version name' }).max(64, 'version: at most 64 characters').min(1, 'version: expected a version name'),
  /** Every request of the version takes this many times as long (1 = like any other version). */
  latencyFactor: z.number({ error: 'latencyFactor: expected a multiplier from 0.1 to 20' }).min(0.1, 'latencyFactor: expected a multiplier from 0.1 to 20').max(20, 'latencyFactor: expected a multiplier from 0.1 to 20').default(1),
  /** Percentage of the version's requests that fail on a healthy instance (the simulator's default is 0.05 %). */
  errorPct: z.number({ error: 'errorPct: expected a percentage from 0 to 100' }).min(0, 'errorPct: expected a percentage from 0 to 100').max(100, 'errorPct: expected a percentage from 0 to 100').default(0.05),
  /** CPU per request, as a multiple of any other version's. */
  cpuFactor: z.number({ error: 'cpuFactor: expected a multiplier from 0.1 to 10' }).min(0.1, 'cpuFactor: expected a multiplier from 0.1 to 10').max(10, 'cpuFactor: expected a multiplier from 0.1 to 10').default(1),
};
/** How one app version behaves in the simulated world (a good canary, a bad one). */
export const versionBehaviourSchema = z.object(versionShape, { error: strictMessage(Object.keys(versionShape), 'version behaviour field') }).strict();
export type VersionBehaviour = z.output<typeof versionBehaviourSchema>;

const controlsShape = {
  /** Multiply a service's demand by `factor` until `until`. */
  demand: z.array(z.object(demandShape, { error: strictMessage(Object.keys(demandShape), 'demand control field') }).strict()).default(() => []),
  /** Burn `cpuPct` of an instance's CPU (and as much of its capacity) until `until`, like a cpu-stress fault. */
  stress: z.array(z.object(stressShape, { error: strictMessage(Object.keys(stressShape), 'stress control field') }).strict()).default(() => []),
  /**
   * Behaviour per app version: part of the simulated world, not a drill, so without an expiry.
   * A version not listed behaves like the defaults (×1 latency, 0.05 % errors, ×1 CPU).
   */
  versions: z
    .array(versionBehaviourSchema)
    .max(100, 'versions: at most 100 versions')
    .refine((vs) => new Set(vs.map((v) => v.version)).size === vs.length, 'versions: each version at most once')
    .default(() => []),
};

export const simControlsSchema = z.object(controlsShape, { error: strictMessage(Object.keys(controlsShape), 'control') }).strict();
export type SimControls = z.input<typeof simControlsSchema>;

/** Turn a zod failure into one line per problem: "capacityRps: expected a positive number". */
export function describeIssues(error: z.ZodError): string {
  const lines: string[] = [];
  const walk = (issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]) => {
    for (const i of issues) {
      const path = [...prefix, ...i.path];
      // A bad record key carries its own issues (the key's message); report those at the record.
      if (i.code === 'invalid_key') {
        walk(i.issues, path.slice(0, -1));
        continue;
      }
      const where = path.map(String).join('.');
      // Messages name their field ("factor: …"); say it once, with the full path.
      const named = path.map(String).find((p) => i.message.startsWith(`${p}: `));
      const text = named === undefined ? i.message : i.message.slice(named.length + 2);
      lines.push(where ? `${where}: ${text}` : text);
    }
  };
  walk(error.issues, []);
  return lines.join('; ');
}
