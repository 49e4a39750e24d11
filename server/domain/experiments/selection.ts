// Which instances a chaos run hits, and whether that is allowed: match the targets, draw the
// selection, then check the blast radius. The preview (before start) and the start (which freezes
// the targets into ExperimentRunTarget rows) call this same function, so what the form showed is
// what the run does — with the same seed the same draw (the start uses the run id as its seed).
//
// A cap refuses, never trims: silently hitting fewer instances than asked would make the report
// answer a different question than the one the operator wrote. It does steer which instances are
// drawn: a random draw keeps to the zone and cluster caps when it can (blast-radius.ts), so that
// "half of edge-gateway" is one instance per zone on every draw, not a refusal on most of them.
import { seededRandom } from '../seeded-random';
import { allowedCount, effectiveCaps, fmtPct, overCapRefusal, type Scope, type ScopeCap, type ScopeCaps } from './blast-radius';
import type { ExperimentSpec, Selection } from './spec';

export { fmtPct } from './blast-radius';

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

export interface ShareRow {
  /** The service, zone or cluster. */
  key: string;
  /** Its instances (of the targeted services for zones and clusters), matched or not. */
  total: number;
  selected: number;
  /** selected / total in % (one decimal). */
  pct: number;
  /** The cap that applies here, in % (the lower of the experiment's and the admin's maximum). */
  capPct: number;
  /** The most instances the cap allows here (a zone or cluster: at least one). */
  allowed: number;
}

export interface ServiceShare extends ShareRow {
  service: string;
}
export interface ZoneShare extends ShareRow {
  zone: string;
}
export interface ClusterShare extends ShareRow {
  cluster: string;
}

export interface TargetPreview {
  /** Every instance the targets match (any admin state), by service then name. */
  matched: TargetCandidate[];
  /** The instances the run would hit, by service then name. */
  selected: TargetCandidate[];
  perService: ServiceShare[];
  perZone: ZoneShare[];
  perCluster: ClusterShare[];
  /** The service cap that applies: min(the experiment's cap, the admin's maximum) (= caps.service.pct). */
  capPct: number;
  /** The cap per scope and whose it is: the admin's maximum bounds the zone and cluster caps too. */
  caps: ScopeCaps;
  /** Why the run may not start, in words with what to change; [] = it may. */
  refusals: string[];
  warnings: string[];
  /** The selection in a sentence ("3 of 12 matching instances, one possible random draw"). */
  summary: string;
}

export interface SelectTargetsInput {
  spec: ExperimentSpec;
  /** The whole fleet (every service's instances): shares count unmatched instances too. */
  instances: readonly TargetCandidate[];
  /** The admin's global maximum share of a service, zone or cluster, in % (no experiment exceeds it). */
  globalMaxPct: number;
  /** The draw's seed: anything for a preview, the run id at start. */
  seed: string;
}

const EPS = 1e-9;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** FNV-1a: a string seed as the 32-bit number the PRNG takes. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const byServiceThenName = (a: TargetCandidate, b: TargetCandidate) =>
  a.service < b.service ? -1 : a.service > b.service ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Does the instance match every non-empty list of the targets and all their labels? */
export function matchesTargets(i: TargetCandidate, t: ExperimentSpec['targets']): boolean {
  const inList = (xs: readonly string[], v: string) => xs.length === 0 || xs.includes(v);
  return (
    inList(t.regions, i.region) &&
    inList(t.zones, i.zone) &&
    inList(t.clusters, i.cluster) &&
    inList(t.services, i.service) &&
    inList(t.versions, i.version) &&
    Object.entries(t.labels).every(([k, v]) => Object.prototype.hasOwnProperty.call(i.labels, k) && i.labels[k] === v)
  );
}

/** The targets in words, for "no instance matches …". */
export function describeTargets(t: ExperimentSpec['targets']): string {
  const parts: string[] = [];
  const add = (one: string, many: string, xs: readonly string[]) => {
    if (xs.length > 0) parts.push(`${xs.length === 1 ? one : many} ${xs.join(', ')}`);
  };
  add('service', 'services', t.services);
  add('version', 'versions', t.versions);
  add('region', 'regions', t.regions);
  add('zone', 'zones', t.zones);
  add('cluster', 'clusters', t.clusters);
  const labels = Object.entries(t.labels).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) parts.push(`${labels.length === 1 ? 'label' : 'labels'} ${labels.join(', ')}`);
  return parts.length === 0 ? 'any instance' : parts.join('; ');
}

/** A seeded Fisher–Yates shuffle of a copy (input order already canonical). */
function shuffled<T>(xs: readonly T[], rnd: ReturnType<typeof seededRandom>): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** How many of `n` instances pct % is: at most pct % but at least one. */
export function shareCount(n: number, pct: number): number {
  if (n === 0) return 0;
  return Math.max(1, Math.floor((n * pct) / 100 + EPS));
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/**
 * Draws `k` of `group` at random, keeping within the zone and cluster caps when it can: the
 * shuffled order is scanned and an instance is taken only while its zone and cluster have room
 * (`room`); when that leaves too few, the rest come in shuffled order (the run is then refused,
 * naming the zone or cluster). When no cap binds this is exactly the first `k` of the shuffle.
 */
function drawSpread(group: readonly TargetCandidate[], k: number, rnd: ReturnType<typeof seededRandom>, room: Room): TargetCandidate[] {
  const taken: TargetCandidate[] = [];
  const skipped: TargetCandidate[] = [];
  for (const i of shuffled(group, rnd)) {
    if (taken.length === k) break;
    if (room.fits(i)) {
      room.take(i);
      taken.push(i);
    } else skipped.push(i);
  }
  for (const i of skipped) {
    if (taken.length === k) break;
    room.take(i);
    taken.push(i);
  }
  return taken;
}

/** What is left of each zone's and cluster's cap while a draw takes instances. */
interface Room {
  fits(i: TargetCandidate): boolean;
  take(i: TargetCandidate): void;
}

function roomFor(population: readonly TargetCandidate[], caps: ScopeCaps): Room {
  const left = new Map<string, number>();
  const keyOf = (scope: 'zone' | 'cluster', i: TargetCandidate) => `${scope}\u0000${i[scope]}`;
  for (const scope of ['zone', 'cluster'] as const) {
    for (const [key, xs] of groupBy(population, (i) => keyOf(scope, i))) left.set(key, allowedCount(scope, xs.length, caps[scope].pct));
  }
  const keys = (i: TargetCandidate) => [keyOf('zone', i), keyOf('cluster', i)];
  return {
    fits: (i) => keys(i).every((key) => (left.get(key) ?? 0) > 0),
    take: (i) => keys(i).forEach((key) => left.set(key, (left.get(key) ?? 0) - 1)),
  };
}

interface Draw {
  selected: TargetCandidate[];
  refusals: string[];
  /** Whether another seed could choose other instances. */
  random: boolean;
  words: string;
}

function draw(selection: Selection, eligible: readonly TargetCandidate[], matched: number, seed: string, room: Room): Draw {
  const rnd = seededRandom(hashSeed(seed));
  const n = eligible.length;
  switch (selection.mode) {
    case 'all':
      return { selected: [...eligible], refusals: [], random: false, words: `all ${plural(n, 'matching instance')}` };
    case 'one':
      return { selected: drawSpread(eligible, 1, rnd, room), refusals: [], random: n > 1, words: `one of ${plural(n, 'matching instance')}` };
    case 'count': {
      if (selection.count > n) {
        return {
          selected: [],
          refusals: [
            `The selection asks for ${plural(selection.count, 'instance')} but only ${n === matched ? `${n} ${n === 1 ? 'matches' : 'match'}` : `${n} of the ${matched} matching instances ${n === 1 ? 'is' : 'are'} in service`}: lower the count to ${n} or widen the targets`,
          ],
          random: false,
          words: `${selection.count} of ${plural(n, 'matching instance')}`,
        };
      }
      return { selected: drawSpread(eligible, selection.count, rnd, room), refusals: [], random: selection.count < n, words: `${selection.count} of ${plural(n, 'matching instance')}` };
    }
    case 'percent':
    case 'random-up-to': {
      // Per service, so one service's share does not depend on how many instances another has.
      const selected: TargetCandidate[] = [];
      let random = false;
      for (const group of groupBy(eligible, (i) => i.service).values()) {
        const most = shareCount(group.length, selection.pct);
        const k = selection.mode === 'percent' ? most : rnd.int(1, most);
        if (k < group.length || (selection.mode === 'random-up-to' && most > 1)) random = true;
        selected.push(...drawSpread(group, k, rnd, room));
      }
      const words =
        selection.mode === 'percent'
          ? `${fmtPct(selection.pct)} % of each service's matching instances (at least one): ${selected.length} of ${n}`
          : `a random number from one up to ${fmtPct(selection.pct)} % of each service's matching instances: ${selected.length} of ${n} in this draw`;
      return { selected, refusals: [], random, words };
    }
  }
}

function shares<K extends Scope>(
  scope: K,
  population: readonly TargetCandidate[],
  selected: readonly TargetCandidate[],
  keys: ReadonlySet<string>,
  cap: ScopeCap,
): Array<ShareRow & Record<K, string>> {
  const keyOf = (i: TargetCandidate) => i[scope];
  const totals = groupBy(population, keyOf);
  const chosen = groupBy(selected, keyOf);
  return [...keys].sort().map((key) => {
    const total = totals.get(key)?.length ?? 0;
    const sel = chosen.get(key)?.length ?? 0;
    const pct = total === 0 ? 0 : Math.round((sel / total) * 1000) / 10;
    const row: ShareRow = { key, total, selected: sel, pct, capPct: cap.pct, allowed: allowedCount(scope, total, cap.pct) };
    return Object.assign({ [scope]: key } as Record<K, string>, row);
  });
}

export function selectTargets(input: SelectTargetsInput): TargetPreview {
  const { spec, seed } = input;
  const instances = [...input.instances].sort(byServiceThenName);
  const caps = effectiveCaps(spec.blastRadius, input.globalMaxPct);
  const capPct = caps.service.pct;
  const refusals: string[] = [];
  const warnings: string[] = [];

  const matched = instances.filter((i) => matchesTargets(i, spec.targets));
  const empty = (summary: string): TargetPreview => ({ matched, selected: [], perService: [], perZone: [], perCluster: [], capPct, caps, refusals, warnings, summary });
  if (matched.length === 0) {
    refusals.push(`No instance matches ${describeTargets(spec.targets)}${instances.length === 0 ? ' (the fleet has no instances)' : ''}: change the targets`);
    return empty('no instance matches');
  }
  for (const s of spec.targets.services) if (!matched.some((i) => i.service === s)) warnings.push(`${s}: no instance of this service matches the other targets`);

  // Draining or maintained instances take no new traffic: a fault there tells nothing.
  const eligible = matched.filter((i) => i.adminState === 'ready');
  const idle = matched.filter((i) => i.adminState !== 'ready');
  if (idle.length > 0) {
    warnings.push(`${plural(idle.length, 'matching instance is', 'matching instances are')} draining or in maintenance and left out: ${idle.slice(0, 5).map((i) => `${i.name} (${i.adminState})`).join(', ')}${idle.length > 5 ? ', …' : ''}`);
  }
  if (eligible.length === 0) {
    refusals.push(`Every instance matching ${describeTargets(spec.targets)} is draining or in maintenance: return one to service or change the targets`);
    return empty('no matching instance is in service');
  }

  // Zone and cluster shares count every instance of the targeted services there, matched or not.
  const targetedServices = new Set(matched.map((i) => i.service));
  const ofTargeted = instances.filter((i) => targetedServices.has(i.service));
  const d = draw(spec.selection, eligible, matched.length, seed, roomFor(ofTargeted, caps));
  refusals.push(...d.refusals);
  const selected = d.selected.sort(byServiceThenName);
  if (d.random) warnings.push('random: this is one possible draw — the run draws again when it starts, so other instances of the same services may be hit');

  const perService = shares('service', instances, selected, targetedServices, caps.service);
  const perZone = shares('zone', ofTargeted, selected, new Set(matched.map((i) => i.zone)), caps.zone);
  const perCluster = shares('cluster', ofTargeted, selected, new Set(matched.map((i) => i.cluster)), caps.cluster);

  const floored: string[] = [];
  for (const [scope, rows] of [['service', perService], ['zone', perZone], ['cluster', perCluster]] as const) {
    for (const row of rows) {
      if (row.selected > row.allowed) refusals.push(overCapRefusal(scope, row, caps[scope], input.globalMaxPct));
      else if (row.selected * 100 > row.capPct * row.total + EPS) floored.push(`${scope} ${row.key} ${row.selected} of ${row.total} (${fmtPct(row.pct)} %)`);
    }
  }
  if (floored.length > 0) {
    warnings.push(`Above the zone or cluster cap only by the one instance a cap always allows there (one instance cannot be spread thinner): ${floored.slice(0, 5).join(', ')}${floored.length > 5 ? `, and ${floored.length - 5} more` : ''}`);
  }

  const summary = `${d.words}${d.random ? ' (one possible draw)' : ''}`;
  return { matched, selected, perService, perZone, perCluster, capPct, caps, refusals, warnings, summary };
}
