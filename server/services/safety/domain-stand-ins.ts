// STAND-INS for the domain engineer's functions (branch h-domain: server/domain/safety/cron.ts,
// server/domain/safety/freeze.ts, server/domain/experiments/targets.ts) that were not committed
// when the safety services were written. Same signatures as agreed; every caller imports them from
// here only, so merging h-domain means this file becomes re-exports and nothing else changes.
// Kept small on purpose: 5-field UTC cron (lists, ranges, steps), target selection without labels
// of the service, capability refusals.
import type { PlatformCapabilities } from '../../platform/adapter';
import type { ExperimentSpec } from '../../domain/experiments/spec';
import { seededRandom } from '../../domain/seeded-random';

// ───────────── cron ─────────────

export interface ParsedCron {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Cron's rule: when both day-of-month and day-of-week are restricted, either may match. */
  domStar: boolean;
  dowStar: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function field(src: string, f: (typeof FIELDS)[number]): Set<number> | string {
  const out = new Set<number>();
  for (const part of src.split(',')) {
    const m = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return `${f.name}: "${part}" is not a number, range, list or step`;
    const lo = m[1] === '*' ? f.min : Number(m[2]);
    const hi = m[1] === '*' ? f.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? f.max : lo;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (lo < f.min || hi > f.max || lo > hi) return `${f.name}: ${part} is outside ${f.min}–${f.max}`;
    if (step < 1) return `${f.name}: a step must be at least 1`;
    for (let v = lo; v <= hi; v += step) out.add(f.name === 'day of week' && v === 7 ? 0 : v);
  }
  return out;
}

/** A 5-field UTC cron expression, or why it is not one (in words). */
export function parseCron(expr: string): { ok: true; cron: ParsedCron } | { ok: false; error: string } {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return { ok: false, error: 'A cron expression has 5 fields: minute hour day-of-month month day-of-week (UTC)' };
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const s = field(parts[i]!, FIELDS[i]!);
    if (typeof s === 'string') return { ok: false, error: s };
    sets.push(s);
  }
  return { ok: true, cron: { minutes: sets[0]!, hours: sets[1]!, days: sets[2]!, months: sets[3]!, weekdays: sets[4]!, domStar: parts[2] === '*', dowStar: parts[4] === '*' } };
}

function dayMatches(c: ParsedCron, d: Date): boolean {
  if (!c.months.has(d.getUTCMonth() + 1)) return false;
  const dom = c.days.has(d.getUTCDate());
  const dow = c.weekdays.has(d.getUTCDay());
  if (c.domStar || c.dowStar) return dom && dow;
  return dom || dow;
}

/** The next `n` times (strictly after `from`, whole minutes, UTC) the cron fires; fewer when it never does within 5 years. */
export function nextCronTimes(expr: string, from: Date, n: number): Date[] {
  const parsed = parseCron(expr);
  if (!parsed.ok) return [];
  const c = parsed.cron;
  const out: Date[] = [];
  const t = new Date(Math.floor(from.getTime() / 60_000) * 60_000 + 60_000);
  const limit = from.getTime() + 5 * 366 * 86_400_000;
  while (out.length < n && t.getTime() <= limit) {
    if (!dayMatches(c, t)) {
      t.setUTCHours(0, 0, 0, 0);
      t.setUTCDate(t.getUTCDate() + 1);
      continue;
    }
    if (!c.hours.has(t.getUTCHours())) {
      t.setUTCMinutes(0, 0, 0);
      t.setUTCHours(t.getUTCHours() + 1);
      continue;
    }
    if (c.minutes.has(t.getUTCMinutes())) out.push(new Date(t));
    t.setUTCMinutes(t.getUTCMinutes() + 1);
  }
  return out;
}

// ───────────── freeze windows ─────────────

export interface FreezeWindowLike {
  id: string;
  name: string;
  reason: string;
  kind: 'one_off' | 'recurring';
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  durationMin: number | null;
  appliesToRollouts: boolean;
  appliesToExperiments: boolean;
}

export interface ActiveFreeze<W extends FreezeWindowLike = FreezeWindowLike> {
  window: W;
  /** This occurrence's start and end. */
  startsAt: Date;
  endsAt: Date;
}

/** The windows active at `at` that apply to `scope`, each with the occurrence's start and end. */
export function activeFreezes<W extends FreezeWindowLike>(windows: readonly W[], at: Date, scope: 'rollouts' | 'experiments'): ActiveFreeze<W>[] {
  const out: ActiveFreeze<W>[] = [];
  for (const w of windows) {
    if (scope === 'rollouts' ? !w.appliesToRollouts : !w.appliesToExperiments) continue;
    if (w.kind === 'one_off') {
      if (w.startsAt && w.endsAt && w.startsAt <= at && at < w.endsAt) out.push({ window: w, startsAt: w.startsAt, endsAt: w.endsAt });
      continue;
    }
    if (!w.cron || !w.durationMin) continue;
    if ((w.startsAt && at < w.startsAt) || (w.endsAt && at >= w.endsAt)) continue;
    const span = w.durationMin * 60_000;
    // Occurrences that started within the last `durationMin` (the cron fires on whole minutes).
    const starts = nextCronTimes(w.cron, new Date(at.getTime() - span - 60_000), Math.min(1 + Math.ceil(span / 60_000), 10_000)).filter((s) => s <= at && at.getTime() < s.getTime() + span);
    const last = starts.at(-1);
    if (last) {
      const end = new Date(last.getTime() + span);
      out.push({ window: w, startsAt: last, endsAt: w.endsAt && w.endsAt < end ? w.endsAt : end });
    }
  }
  return out;
}

// ───────────── target selection ─────────────

export interface FleetInstance {
  id: string;
  name: string;
  service: string;
  version: string;
  region: string;
  zone: string;
  cluster: string;
  labels: Record<string, string>;
}

export interface TargetRefusal {
  path: string;
  message: string;
}

export interface TargetSelection {
  matched: FleetInstance[];
  selected: FleetInstance[];
  perService: Array<{ service: string; total: number; selected: number; pct: number }>;
  perZone: Array<{ zone: string; total: number; selected: number; pct: number }>;
  perCluster: Array<{ cluster: string; total: number; selected: number; pct: number }>;
  /** The cap that applied per service: min(experiment's maxServicePct, the global maximum). */
  capPct: number;
  refusals: TargetRefusal[];
  warnings: string[];
}

const within = (list: readonly string[], v: string) => list.length === 0 || list.includes(v);
const pctOf = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 10);

function group<K extends 'service' | 'zone' | 'cluster'>(all: FleetInstance[], picked: FleetInstance[], key: K) {
  const totals = new Map<string, number>();
  for (const i of all) totals.set(i[key], (totals.get(i[key]) ?? 0) + 1);
  const chosen = new Map<string, number>();
  for (const i of picked) chosen.set(i[key], (chosen.get(i[key]) ?? 0) + 1);
  return [...chosen.entries()].map(([k, n]) => ({ k, total: totals.get(k) ?? n, selected: n, pct: pctOf(n, totals.get(k) ?? n) }));
}

/** Which instances a run would hit, per service/zone/cluster shares, and why it may not run. */
export function selectTargets(o: { spec: ExperimentSpec; instances: readonly FleetInstance[]; globalMaxPct: number; seed: number }): TargetSelection {
  const { spec } = o;
  const t = spec.targets;
  const matched = o.instances.filter(
    (i) => within(t.regions, i.region) && within(t.zones, i.zone) && within(t.clusters, i.cluster) && within(t.services, i.service) && within(t.versions, i.version) && Object.entries(t.labels).every(([k, v]) => i.labels[k] === v),
  );
  const random = seededRandom(o.seed);
  const rand = () => random.next();
  const shuffled = [...matched].sort((a, b) => a.name.localeCompare(b.name)).map((i) => ({ i, r: rand() })).sort((a, b) => a.r - b.r).map((x) => x.i);
  const sel = spec.selection;
  let n = matched.length;
  if (sel.mode === 'one') n = Math.min(1, matched.length);
  else if (sel.mode === 'count') n = Math.min(sel.count, matched.length);
  else if (sel.mode === 'percent') n = Math.max(matched.length ? 1 : 0, Math.floor((matched.length * sel.pct) / 100));
  else if (sel.mode === 'random-up-to') n = matched.length ? 1 + Math.floor(rand() * Math.max(1, Math.floor((matched.length * sel.pct) / 100))) : 0;
  const selected = shuffled.slice(0, n).sort((a, b) => a.name.localeCompare(b.name));
  const fleetOfServices = o.instances.filter((i) => selected.some((s) => s.service === i.service));
  const perService = group(fleetOfServices, selected, 'service').map(({ k, ...g }) => ({ service: k, ...g }));
  const perZone = group(fleetOfServices, selected, 'zone').map(({ k, ...g }) => ({ zone: k, ...g }));
  const perCluster = group(fleetOfServices, selected, 'cluster').map(({ k, ...g }) => ({ cluster: k, ...g }));
  const capPct = Math.min(spec.blastRadius.maxServicePct, o.globalMaxPct);
  const refusals: TargetRefusal[] = [];
  const warnings: string[] = [];
  if (matched.length === 0) refusals.push({ path: 'targets', message: 'No instance matches the targets' });
  for (const s of perService) {
    if (s.pct > capPct) {
      const why = capPct < spec.blastRadius.maxServicePct ? `the global maximum of ${o.globalMaxPct} %` : `the blast radius of ${capPct} %`;
      refusals.push({ path: 'blastRadius.maxServicePct', message: `${s.selected} of ${s.total} instances of ${s.service} (${s.pct} %) exceeds ${why}` });
    }
  }
  const zoneCap = spec.blastRadius.maxZonePct;
  if (zoneCap !== null) for (const z of perZone) if (z.pct > zoneCap) refusals.push({ path: 'blastRadius.maxZonePct', message: `${z.selected} of ${z.total} instances in zone ${z.zone} (${z.pct} %) exceeds ${zoneCap} %` });
  const clusterCap = spec.blastRadius.maxClusterPct;
  if (clusterCap !== null) for (const c of perCluster) if (c.pct > clusterCap) refusals.push({ path: 'blastRadius.maxClusterPct', message: `${c.selected} of ${c.total} instances in cluster ${c.cluster} (${c.pct} %) exceeds ${clusterCap} %` });
  return { matched, selected, perService, perZone, perCluster, capPct, refusals, warnings };
}

/** What the platform cannot do of `spec` (fault kind, cohort header), in words. */
export function faultRefusals(spec: ExperimentSpec, caps: Pick<PlatformCapabilities, 'faults' | 'faultExpiryInPlatform' | 'faultCohortHeaders'> & { adapter?: string }): { refusals: TargetRefusal[]; warnings: string[] } {
  const refusals: TargetRefusal[] = [];
  const warnings: string[] = [];
  const who = caps.adapter ?? 'the platform';
  if (!caps.faults.includes(spec.fault.kind)) refusals.push({ path: 'fault.kind', message: `${who} cannot inject ${spec.fault.kind} faults (it supports: ${caps.faults.join(', ') || 'none'})` });
  if (spec.cohort) {
    const h = caps.faultCohortHeaders;
    if (h !== 'any' && !h.map((x) => x.toLowerCase()).includes(spec.cohort.header.toLowerCase())) {
      refusals.push({ path: 'cohort.header', message: `${who} cannot scope a fault to requests with header ${spec.cohort.header}` });
    }
  }
  if (caps.faults.includes(spec.fault.kind) && !caps.faultExpiryInPlatform.includes(spec.fault.kind)) {
    warnings.push(`${who} cannot expire ${spec.fault.kind} faults by itself: if every worker dies, the fault stays until a worker returns`);
  }
  return { refusals, warnings };
}
