// STAND-INS for the domain engineer's pure functions (branch h-domain: server/domain/experiments/
// selection.ts, capabilities, conditions, report) that were not committed when the run services
// were written. Same signatures as agreed; the run services import them from here only, so merging
// h-domain turns this file into re-exports and nothing else changes. Deliberately small.
import { addBuckets, emptyBuckets, quantileOf } from '../../domain/latency-buckets';
import { seededRandom } from '../../domain/seeded-random';
import type { Condition, ExperimentSpec } from '../../domain/experiments/spec';

// ───────────── target selection and blast radius ─────────────

export interface TargetCandidate {
  id: string;
  name: string;
  service: string;
  version: string;
  region: string;
  zone: string;
  cluster: string;
  labels: Record<string, string>;
  adminState: 'ready' | 'drain' | 'maintenance';
}

export interface ServiceShare {
  key: string;
  service: string;
  total: number;
  selected: number;
  pct: number;
}

export interface TargetPreview {
  matched: TargetCandidate[];
  selected: TargetCandidate[];
  perService: ServiceShare[];
  capPct: number;
  refusals: string[];
  warnings: string[];
  summary: string;
}

export interface SelectTargetsInput {
  spec: ExperimentSpec;
  instances: readonly TargetCandidate[];
  globalMaxPct: number;
  seed: string;
}

function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const byServiceThenName = (a: TargetCandidate, b: TargetCandidate) => (a.service === b.service ? (a.name < b.name ? -1 : 1) : a.service < b.service ? -1 : 1);

function matches(i: TargetCandidate, t: ExperimentSpec['targets']): boolean {
  const inList = (xs: readonly string[], v: string) => xs.length === 0 || xs.includes(v);
  return inList(t.regions, i.region) && inList(t.zones, i.zone) && inList(t.clusters, i.cluster) && inList(t.services, i.service) && inList(t.versions, i.version) && Object.entries(t.labels).every(([k, v]) => i.labels[k] === v);
}

const share = (n: number, pct: number) => (n === 0 ? 0 : Math.max(1, Math.floor((n * pct) / 100 + 1e-9)));
const fmt = (p: number) => String(Math.round(p * 10) / 10);

export function selectTargets(input: SelectTargetsInput): TargetPreview {
  const { spec, globalMaxPct } = input;
  const matched = input.instances.filter((i) => matches(i, spec.targets)).sort(byServiceThenName);
  const eligible = matched.filter((i) => i.adminState === 'ready');
  const rnd = seededRandom(hashSeed(input.seed));
  const shuffled = [...eligible];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const sel = spec.selection;
  const n =
    sel.mode === 'all' ? eligible.length
    : sel.mode === 'one' ? Math.min(1, eligible.length)
    : sel.mode === 'count' ? Math.min(sel.count, eligible.length)
    : sel.mode === 'percent' ? share(eligible.length, sel.pct)
    : eligible.length === 0 ? 0 : rnd.int(1, share(eligible.length, sel.pct));
  const selected = shuffled.slice(0, n).sort(byServiceThenName);
  const capPct = Math.min(spec.blastRadius.maxServicePct, globalMaxPct);
  const refusals: string[] = [];
  const warnings: string[] = [];
  if (matched.length === 0) refusals.push('No instance matches the targets.');
  else if (selected.length === 0) refusals.push('Every matching instance is drained or in maintenance: nothing to hit.');
  const services = [...new Set(selected.map((i) => i.service))].sort();
  const perService: ServiceShare[] = services.map((service) => {
    const total = input.instances.filter((i) => i.service === service).length;
    const count = selected.filter((i) => i.service === service).length;
    return { key: service, service, total, selected: count, pct: total === 0 ? 0 : (count * 100) / total };
  });
  for (const s of perService) {
    if (s.pct > capPct + 1e-9) {
      const which = capPct === globalMaxPct && globalMaxPct < spec.blastRadius.maxServicePct ? `the global maximum of ${fmt(globalMaxPct)} % set by an admin` : `the blast radius of ${fmt(capPct)} % of a service`;
      refusals.push(`${s.selected} of ${s.total} instances of ${s.service} is ${fmt(s.pct)} %, over ${which}: select fewer instances or raise the cap.`);
    }
  }
  for (const [cap, key, what] of [[spec.blastRadius.maxZonePct, 'zone', 'zone'], [spec.blastRadius.maxClusterPct, 'cluster', 'cluster']] as const) {
    if (cap === null) continue;
    for (const v of [...new Set(selected.map((i) => i[key]))].sort()) {
      const total = input.instances.filter((i) => i[key] === v && services.includes(i.service)).length;
      const count = selected.filter((i) => i[key] === v).length;
      const pct = total === 0 ? 0 : (count * 100) / total;
      if (pct > cap + 1e-9) refusals.push(`${count} of ${total} instances in ${what} ${v} is ${fmt(pct)} %, over the ${what} cap of ${fmt(cap)} %.`);
    }
  }
  if (matched.length > eligible.length) warnings.push(`${matched.length - eligible.length} matching instances are drained or in maintenance and are not hit.`);
  return { matched, selected, perService, capPct, refusals, warnings, summary: `${selected.length} of ${matched.length} matching instances` };
}

// ───────────── what the platform can do ─────────────

export interface FaultCapabilities {
  /** The platform in words ("simulator", "haproxy ("lab")"). */
  adapter: string;
  faults: readonly string[];
  faultExpiryInPlatform: readonly string[];
  faultCohortHeaders: 'any' | readonly string[];
}

export function faultRefusals(spec: ExperimentSpec, caps: FaultCapabilities): { refusals: string[]; warnings: string[] } {
  const refusals: string[] = [];
  const warnings: string[] = [];
  if (!caps.faults.includes(spec.fault.kind)) refusals.push(`The active platform (${caps.adapter}) cannot inject ${spec.fault.kind} faults; it can inject: ${caps.faults.join(', ') || 'none'}.`);
  else if (!caps.faultExpiryInPlatform.includes(spec.fault.kind)) warnings.push(`${caps.adapter} does not expire ${spec.fault.kind} faults by itself: if every worker dies the fault stays until one is back.`);
  if (spec.cohort) {
    const ok = caps.faultCohortHeaders === 'any' || caps.faultCohortHeaders.some((h) => h.toLowerCase() === spec.cohort!.header.toLowerCase());
    if (!ok) refusals.push(`The active platform (${caps.adapter}) cannot scope a fault to requests carrying ${spec.cohort.header}.`);
  }
  return { refusals, warnings };
}

// ───────────── abort conditions and the steady-state hypothesis ─────────────

/** One tick of the targeted services summed (VersionSample rows of one `at`). */
export interface ConditionTick {
  at: number;
  requests: number;
  errors: number;
  buckets: readonly number[];
}

/** The latest telemetry of the targeted services' instances. */
export interface ConditionSnapshot {
  breakersOpen: number;
  /** Instances at degradation level L2 or above. */
  degraded: number;
}

export interface ConditionResult {
  condition: Condition;
  fired: boolean;
  /** The live value (null = no data in the window). */
  value: number | null;
  threshold: number;
  words: string;
}

export function evaluateConditions(conditions: readonly Condition[], ticks: readonly ConditionTick[], now: number, snapshot: ConditionSnapshot): ConditionResult[] {
  return conditions.map((c) => {
    switch (c.kind) {
      case 'availability-below': {
        const w = ticks.filter((t) => t.at > now - c.windowS * 1000 && t.at <= now);
        const req = w.reduce((s, t) => s + t.requests, 0);
        const err = w.reduce((s, t) => s + t.errors, 0);
        const value = req > 0 ? Math.round((1 - err / req) * 100_000) / 1000 : null;
        const fired = value !== null && value < c.pct;
        return { condition: c, fired, value, threshold: c.pct, words: value === null ? `availability: no requests in the last ${c.windowS} s` : `availability ${value} % over ${c.windowS} s (abort below ${c.pct} %)` };
      }
      case 'p99-above': {
        const w = ticks.filter((t) => t.at > now - c.windowS * 1000 && t.at <= now);
        const merged = w.reduce((acc, t) => (t.buckets.length ? addBuckets(acc, t.buckets) : acc), emptyBuckets());
        const q = quantileOf(merged, 0.99);
        const value = q === null ? null : Math.round(q);
        const fired = value !== null && value > c.ms;
        return { condition: c, fired, value, threshold: c.ms, words: value === null ? `P99: no latency data in the last ${c.windowS} s` : `P99 ${value} ms over ${c.windowS} s (abort above ${c.ms} ms)` };
      }
      case 'breakers-open-above':
        return { condition: c, fired: snapshot.breakersOpen > c.count, value: snapshot.breakersOpen, threshold: c.count, words: `${snapshot.breakersOpen} breakers open (abort above ${c.count})` };
      case 'degraded-at-least':
        return { condition: c, fired: snapshot.degraded >= c.count, value: snapshot.degraded, threshold: c.count, words: `${snapshot.degraded} instances at L2 or above (abort at ${c.count})` };
    }
  });
}

// ───────────── the per-layer report ─────────────

export interface LayerInput {
  layer: string;
  services: string[];
  /** Per tick sums of the layer's services, baseline through the end of observation. */
  ticks: readonly ConditionTick[];
  maxLevel: number;
  breakerTrips: number;
}

export interface ReportInput {
  runId: string;
  experimentName: string;
  number: number;
  spec: ExperimentSpec;
  injectedAt: number;
  faultsRemovedAt: number;
  observedUntil: number;
  outcome: string;
  layers: readonly LayerInput[];
}

export interface Quantiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface LayerReport {
  layer: string;
  services: string[];
  baseline: Quantiles & { availabilityPct: number | null; requests: number };
  fault: Quantiles & { availabilityPct: number | null; requests: number };
  delta: Quantiles;
  availabilityTargetPct: number;
  metTarget: boolean | null;
  /** Seconds from removal to the first healthy tick that stayed healthy; null = did not self-heal. */
  selfHealS: number | null;
  maxLevel: number;
  breakerTrips: number;
}

export interface RunReport {
  runId: string;
  title: string;
  fault: ExperimentSpec['fault'];
  outcome: string;
  injectedAt: string;
  faultsRemovedAt: string;
  observedUntil: string;
  availabilityTargetPct: number;
  layers: LayerReport[];
}

function summarize(ticks: readonly ConditionTick[]) {
  const req = ticks.reduce((s, t) => s + t.requests, 0);
  const err = ticks.reduce((s, t) => s + t.errors, 0);
  const b = ticks.reduce((acc, t) => (t.buckets.length ? addBuckets(acc, t.buckets) : acc), emptyBuckets());
  const q = (p: number) => {
    const v = quantileOf(b, p);
    return v === null ? null : Math.round(v * 10) / 10;
  };
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), availabilityPct: req > 0 ? Math.round((1 - err / req) * 100_000) / 1000 : null, requests: req };
}

const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 10) / 10);

/** A tick is healthy when its P99 is back near the baseline and its availability meets the target (or the baseline). */
function healthy(t: ConditionTick, base: ReturnType<typeof summarize>, target: number): boolean {
  const s = summarize([t]);
  const latencyOk = s.p99 === null || base.p99 === null || s.p99 <= base.p99 * 1.2 + 10;
  const availOk = s.availabilityPct === null || s.availabilityPct >= Math.min(target, base.availabilityPct ?? target);
  return latencyOk && availOk;
}

/** First tick after removal from which every later tick is healthy (at least `minTicks` of them). */
export function selfHealAt(ticks: readonly ConditionTick[], removedAt: number, base: ReturnType<typeof summarize>, target: number, minTicks = 3): number | null {
  const after = ticks.filter((t) => t.at >= removedAt).sort((a, b) => a.at - b.at);
  let start: number | null = null;
  let run = 0;
  for (const t of after) {
    if (healthy(t, base, target)) {
      start ??= t.at;
      run++;
    } else {
      start = null;
      run = 0;
    }
  }
  return start !== null && run >= minTicks ? start : null;
}

export function baselineOf(layer: LayerInput, injectedAt: number, baselineS: number) {
  return summarize(layer.ticks.filter((t) => t.at >= injectedAt - baselineS * 1000 && t.at < injectedAt));
}

export function buildRunReport(input: ReportInput): RunReport {
  const target = input.spec.availabilityTargetPct;
  const layers = input.layers.map((l): LayerReport => {
    const baseline = baselineOf(l, input.injectedAt, input.spec.baselineS);
    const fault = summarize(l.ticks.filter((t) => t.at >= input.injectedAt && t.at < input.faultsRemovedAt));
    const heal = selfHealAt(l.ticks.filter((t) => t.at <= input.observedUntil), input.faultsRemovedAt, baseline, target);
    return {
      layer: l.layer,
      services: l.services,
      baseline,
      fault,
      delta: { p50: minus(fault.p50, baseline.p50), p90: minus(fault.p90, baseline.p90), p99: minus(fault.p99, baseline.p99) },
      availabilityTargetPct: target,
      metTarget: fault.availabilityPct === null ? null : fault.availabilityPct >= target,
      selfHealS: heal === null ? null : Math.round((heal - input.faultsRemovedAt) / 100) / 10,
      maxLevel: l.maxLevel,
      breakerTrips: l.breakerTrips,
    };
  });
  const iso = (ms: number) => new Date(ms).toISOString();
  return { runId: input.runId, title: `${input.experimentName} #${input.number}`, fault: input.spec.fault, outcome: input.outcome, injectedAt: iso(input.injectedAt), faultsRemovedAt: iso(input.faultsRemovedAt), observedUntil: iso(input.observedUntil), availabilityTargetPct: target, layers };
}

const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);
const signed = (v: number | null) => (v === null ? '—' : `${v >= 0 ? '+' : ''}${v} ms`);

export function reportMarkdown(r: RunReport): string {
  const lines = [
    `# ${r.title}`,
    '',
    `Fault: ${JSON.stringify(r.fault)}. Outcome: ${r.outcome}. Injected ${r.injectedAt}, removed ${r.faultsRemovedAt}, observed until ${r.observedUntil}.`,
    '',
    '| Layer | P50 (Δ) | P90 (Δ) | P99 (Δ) | Availability (target) | Self-heal | Max level | Breaker trips |',
    '|---|---|---|---|---|---|---|---|',
    ...r.layers.map((l) =>
      `| ${l.layer} | ${ms(l.fault.p50)} (${signed(l.delta.p50)}) | ${ms(l.fault.p90)} (${signed(l.delta.p90)}) | ${ms(l.fault.p99)} (${signed(l.delta.p99)}) | ${l.fault.availabilityPct === null ? '—' : `${l.fault.availabilityPct} %`} (${l.availabilityTargetPct} %${l.metTarget === false ? ', missed' : ''}) | ${l.selfHealS === null ? 'did not self-heal' : `${l.selfHealS} s`} | L${l.maxLevel} | ${l.breakerTrips} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
