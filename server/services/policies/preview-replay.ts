// The what-if preview's replay: every instance's window of packed samples through the published
// policy and the draft, folded into the preview's figures as it goes. An instance's samples are
// decoded out of the COPY output into one reused Float64Array (server/services/telemetry/
// record-arena.ts) and each record read straight into one reused telemetry object for both
// policies (server/services/telemetry/pack-values.ts); nothing per step outlives the
// step (the serial form kept every point and transition of 10,000 instances until the end).
// The steps are the live loop's own in their count-only form (advanceCounted: the same machines,
// transitions counted instead of described), in the same order; the draft steps only the
// machines its policy drives and shares the rest with the published replay
// (server/domain/draft-step.ts). The figures are the same to the last bit as
// the straightforward form's (test/whatif-serial-replay.ts), which they are checked against.
import { setImmediate } from 'node:timers/promises';
import type { Db } from '../../db/client';
import { changedParts, shareUnchanged } from '../../domain/draft-step';
import { advanceCounted, advanceCountedShared, initialRuntime, STEP_PARTS, type InstanceRuntime, type StepInput } from '../../domain/instance-step';
import type { AdminState, FleetPolicies } from '../../domain/model';
import { LOW_WEIGHT, ReplayTally, restoreFrom, type ReplayCounts } from '../../domain/replay';
import { ALL_STEP_PARTS, clearTransitionCounts, newTransitionCounts, transitionsIn } from '../../domain/step-counts';
import { RECORD, recordAt, recordEffectiveWeight, RecordTelemetry, sampleAt } from '../telemetry/pack-values';
import { RecordArena } from '../telemetry/record-arena';
import { readFirstStates, readRecords } from '../telemetry/recorded-samples';
import type { FirstStates } from '../telemetry/telemetry-pack';

export const BUCKET_MS = 10_000;

export interface PreviewInstance {
  id: string;
  name: string;
  serviceId: string;
  adminState: string;
}

/** What to replay: the instances in id order (the order the figures are summed in) over [from, to]. */
export interface PreviewScope {
  instances: PreviewInstance[];
  from: Date;
  to: Date;
  policiesOf(serviceId: string): { current: FleetPolicies; proposed: FleetPolicies };
  /** Told after each chunk how many of the instances are replayed (the console's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface InstanceDiff {
  name: string;
  baseMin: number;
  draftMin: number;
  baseTransitions: number;
  draftTransitions: number;
}

export interface WindowTally {
  samples: number;
  /** Per replayed instance, the samples it spans: "actually" counts the live transitions in the same span. */
  replayed: Array<{ id: string; first: number; last: number }>;
  baseline: ReplayCounts;
  draft: ReplayCounts;
  perInstance: InstanceDiff[];
  series: Map<number, { actual: number; base: number; draft: number; n: number }>;
  /** The recorded effective weights over the replayed samples, for the "actually" column. */
  actual: { sum: number; n: number; below: number };
  /** fetch: time spent waiting for samples (PostgreSQL's other work overlaps the replay). */
  phasesMs: { fetch: number; replay: number };
}

export type WindowReplay = (db: Db, scope: PreviewScope) => Promise<WindowTally>;

export const replayAdminState = (s: string): AdminState => (s === 'maint' ? 'maintenance' : s) as AdminState;

/**
 * Instances per fetch: the next chunk's COPY runs in PostgreSQL while this process replays the
 * current one. About 4 MB of packs at 15 minutes: one statement stays well inside the statement
 * timeout on a busy machine (64 instances' 16 MB did not, at 5 s).
 */
const CHUNK = 16;
/** Instances replayed between yields to the event loop (15 minutes of one is a few ms). */
const YIELD_EVERY = 8;

/** The preview's figures, folded one instance at a time (in the order the figures are summed in). */
export interface WindowFold {
  /** Replays one instance's records (packValues' layout, oldest first; `first`: its first sample's states) and folds them into the figures. */
  replayOne(inst: PreviewInstance, v: Float64Array, first: FirstStates | undefined): void;
  /** The figures of every instance replayed so far (phasesMs left to the caller). */
  finish(): WindowTally;
}

export function foldWindow(scope: Pick<PreviewScope, 'from' | 'to' | 'policiesOf'>): WindowFold {
  const from = scope.from.getTime();
  const to = scope.to.getTime();
  const t: WindowTally = { samples: 0, replayed: [], baseline: null!, draft: null!, perInstance: [], series: new Map(), actual: { sum: 0, n: 0, below: 0 }, phasesMs: { fetch: 0, replay: 0 } };
  const base = new ReplayTally();
  const draft = new ReplayTally();
  const reader = new RecordTelemetry();
  // Each instance's transitions, counted per machine part: the published replay's (every part)
  // and the draft's (the parts its policy drives; the others are the published ones).
  const baseCounts = newTransitionCounts();
  const draftCounts = newTransitionCounts();

  const replayOne = (inst: PreviewInstance, v: Float64Array, firstStates: FirstStates | undefined) => {
    const { current, proposed } = scope.policiesOf(inst.serviceId);
    const adminState = replayAdminState(inst.adminState);
    // The draft steps only the machines its policy drives; the others are the published replay's.
    const changed = changedParts(current, proposed);
    const unchanged = ALL_STEP_PARTS & ~changed;
    // The draft's effective weight is then the published one's (advanceCountedShared).
    const weightShared = (changed & STEP_PARTS.weight) === 0;
    clearTransitionCounts(baseCounts);
    clearTransitionCounts(draftCounts);
    // One step input per policy, refilled each tick (the step keeps none of it).
    const inB: StepInput = { telemetry: reader.telemetry, adminState, now: 0, policies: current };
    const inD: StepInput = { telemetry: reader.telemetry, adminState, now: 0, policies: proposed };
    let rb: InstanceRuntime | null = null;
    let rd: InstanceRuntime | null = null;
    let count = 0;
    let first = 0;
    let last = 0;
    let baseMin = Infinity;
    let draftMin = Infinity;
    let actualMin = Infinity;
    let lastAt = -Infinity;
    let lastBucketAt = NaN;
    let bucket: { actual: number; base: number; draft: number; n: number } | undefined;
    // The "actually" sums in locals for the instance (stored back below): the same additions in
    // the same order as adding to t.actual tick by tick.
    let actualSum = t.actual.sum;
    let actualN = t.actual.n;
    for (let i = 0, n = v.length / RECORD; i < n; i++) {
      const at = recordAt(v, i);
      if (at < from || at > to) continue;
      if (at <= lastAt) throw new Error('packed samples are out of order');
      lastAt = at;
      count++;
      if (rb === null || rd === null) {
        // Where the live loop stood after the first sample: the replay resumes from it.
        const s = sampleAt(v, i, firstStates);
        first = at;
        rb = initialRuntime(at, restoreFrom(s, current, adminState));
        rd = initialRuntime(at, restoreFrom(s, proposed, adminState));
        shareUnchanged(rd, rb, changed);
        continue;
      }
      last = at;
      reader.read(inst.id, v, i);
      inB.now = at;
      inD.now = at;
      const b = advanceCounted(rb, inB, ALL_STEP_PARTS, baseCounts);
      let d = b;
      if (weightShared) advanceCountedShared(rd, inD, changed, draftCounts);
      else d = advanceCounted(rd, inD, changed, draftCounts);
      base.point(b);
      draft.point(d);
      baseMin = Math.min(baseMin, b);
      draftMin = Math.min(draftMin, d);
      const bucketAt = Math.floor(at / BUCKET_MS) * BUCKET_MS;
      if (bucketAt !== lastBucketAt) {
        lastBucketAt = bucketAt;
        bucket = t.series.get(bucketAt);
        if (bucket === undefined) t.series.set(bucketAt, (bucket = { actual: 0, base: 0, draft: 0, n: 0 }));
      }
      const w = recordEffectiveWeight(v, i);
      actualMin = Math.min(actualMin, w);
      actualSum += w;
      actualN++;
      bucket!.actual += w;
      bucket!.base += b;
      bucket!.draft += d;
      bucket!.n++;
    }
    t.actual.sum = actualSum;
    t.actual.n = actualN;
    t.samples += count;
    if (count < 2) return;
    // Counts add up in any order: the same figures as counting each transition as it came.
    base.counted(baseCounts, ALL_STEP_PARTS);
    draft.counted(baseCounts, unchanged);
    draft.counted(draftCounts, changed);
    base.endInstance();
    draft.endInstance();
    const baseTransitions = transitionsIn(baseCounts, ALL_STEP_PARTS);
    const draftTransitions = transitionsIn(baseCounts, unchanged) + transitionsIn(draftCounts, changed);
    t.replayed.push({ id: inst.id, first, last });
    t.perInstance.push({ name: inst.name, baseMin: Math.round(baseMin), draftMin: Math.round(draftMin), baseTransitions, draftTransitions });
    if (actualMin < LOW_WEIGHT) t.actual.below++;
  };

  const finish = () => {
    t.baseline = base.counts();
    t.draft = draft.counts();
    return t;
  };
  return { replayOne, finish };
}

export const replayWindow: WindowReplay = async (db, scope) => {
  const byId = new Map(scope.instances.map((i) => [i.id, i]));
  const fold = foldWindow(scope);
  const phasesMs = { fetch: 0, replay: 0 };
  const ids = scope.instances.map((i) => i.id);
  // One arena for the chunk being replayed and one for the chunk being read: chunk k + 2 is
  // read into chunk k's only once chunk k is replayed.
  const arenas = [new RecordArena(), new RecordArena()];
  // Every instance's first states in one query beside the first chunk's COPY, not one per chunk.
  const firstStates = ids.length ? readFirstStates(db, ids, scope.from, scope.to) : undefined;
  firstStates?.catch(() => undefined);
  const load = (k: number) => {
    const arena = arenas[(k / CHUNK) % 2]!;
    const p = readRecords(db, ids.slice(k, k + CHUNK), scope.from, scope.to, arena, firstStates).then(() => arena);
    // Awaited only after the current chunk is replayed, and the replay yields meanwhile: a
    // failure until then would be an unhandled rejection (it is thrown where it is awaited).
    p.catch(() => undefined);
    return p;
  };
  let next = ids.length ? load(0) : null;
  for (let k = 0; next; k += CHUNK) {
    const t0 = performance.now();
    const arena = await next;
    next = k + CHUNK < ids.length ? load(k + CHUNK) : null;
    const t1 = performance.now();
    // Records come in (instance, time) order: one run of records per instance.
    for (let i = 0; i < arena.instances; i++) {
      // The web process serves other requests and live streams between every few instances.
      if (i > 0 && i % YIELD_EVERY === 0) await setImmediate();
      fold.replayOne(byId.get(arena.ids[i]!)!, arena.values(i), arena.firsts[i]);
    }
    phasesMs.fetch += t1 - t0;
    phasesMs.replay += performance.now() - t1;
    scope.onProgress?.(Math.min(k + CHUNK, ids.length), ids.length);
  }
  return { ...fold.finish(), phasesMs };
};
