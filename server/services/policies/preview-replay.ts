// The what-if preview's replay: every instance's window of packed samples through the published
// policy and the draft, folded into the preview's figures as it goes. An instance's samples are
// decoded out of the COPY output into one reused Float64Array (server/services/telemetry/
// record-arena.ts) and each record read straight into one reused telemetry object for both
// policies (server/services/telemetry/pack-values.ts); nothing per step outlives the
// step (the serial form kept every point and transition of 10,000 instances until the end).
// The steps are the live loop's own in their count-only form (advanceCounted: the same machines,
// transitions counted instead of described), in the same order; the draft steps only the
// machines its policy drives and shares the rest with the published replay
// (server/domain/draft-step.ts). A large preview splits the machines over two threads: this one
// steps the weights (their effective weights are summed, in one order) while the replay thread
// (replay-thread.ts) counts the others' transitions, which add up in any order. The figures are
// the same to the last bit as the straightforward form's (test/whatif-serial-replay.ts), in either
// form; the tests check both against it.
import { setImmediate } from 'node:timers/promises';
import type { Db } from '../../db/client';
import { env } from '../../env';
import { changedParts } from '../../domain/draft-step';
import { advanceCounted, advanceCountedShared, STEP_PARTS, type InstanceRuntime, type StepInput } from '../../domain/instance-step';
import type { FleetPolicies } from '../../domain/model';
import { LOW_WEIGHT, ReplayTally, type ReplayCounts } from '../../domain/replay';
import { ALL_STEP_PARTS, clearTransitionCounts, newTransitionCounts, transitionsIn, type TransitionCounts } from '../../domain/step-counts';
import { RECORD, recordAt, recordEffectiveWeight, RecordTelemetry } from '../telemetry/pack-values';
import { RecordArena } from '../telemetry/record-arena';
import { readFirstStates, readRecords } from '../telemetry/recorded-samples';
import type { FirstStates } from '../telemetry/telemetry-pack';
import { countsFrom, COUNTS_PER_INSTANCE, replayAdminState, resumeRuntimes, type ServicePolicies } from './replay-counts';
import { chunkFor, readAhead } from './read-ahead';
import { replayThread, type ThreadJob } from './replay-thread-pool';

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
  /** Instances per COPY (chunkFor the window; tests set fewer so that a small fleet fills and reuses every arena). */
  chunk?: number;
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
  /** fetch: time spent waiting for samples or for the replay thread's counts (their work overlaps the replay). */
  phasesMs: { fetch: number; replay: number };
  /** 2 when the replay thread counted the stages, watermarks and breaker, else 1. */
  threads: 1 | 2;
}

export type WindowReplay = (db: Db, scope: PreviewScope) => Promise<WindowTally>;

/**
 * COPYs in flight at once, on their own connections. One at a time, PostgreSQL's single backend
 * was the preview's critical path: the replay waited on it for 4 of the 6 s at 10,000 instances,
 * while a core stood idle ~20 % of the time. Two at once fill that core.
 */
const READS_AT_ONCE = 2;
/** Instances replayed between yields to the event loop (15 minutes of one is a few ms). */
const YIELD_EVERY = 8;

/** The preview's figures, folded one instance at a time (in the order the figures are summed in). */
export interface WindowFold {
  /**
   * Replays one instance's records (packValues' layout, oldest first; `first`: its first sample's
   * states) through the fold's machines and folds them into the figures; the instance's index in
   * the figures (for addCounts), -1 when it has fewer than two samples (not replayed).
   */
  replayOne(inst: PreviewInstance, v: Float64Array, first: FirstStates | undefined): number;
  /** Adds the transitions the other machines (`parts`) made in instance `index`, counted elsewhere (replay-counts.ts). */
  addCounts(index: number, base: TransitionCounts, draft: TransitionCounts, parts: number): void;
  /** The figures of every instance replayed so far (phasesMs left to the caller). */
  finish(): WindowTally;
}

/**
 * `parts`: the machines this fold steps (STEP_PARTS bits, the weights always: their effective
 * weights are summed here); the others' transitions come in through addCounts.
 */
export function foldWindow(scope: Pick<PreviewScope, 'from' | 'to' | 'policiesOf'>, parts: number = ALL_STEP_PARTS): WindowFold {
  const from = scope.from.getTime();
  const to = scope.to.getTime();
  const t: WindowTally = { samples: 0, replayed: [], baseline: null!, draft: null!, perInstance: [], series: new Map(), actual: { sum: 0, n: 0, below: 0 }, phasesMs: { fetch: 0, replay: 0 }, threads: parts === ALL_STEP_PARTS ? 1 : 2 };
  const base = new ReplayTally();
  const draft = new ReplayTally();
  const reader = new RecordTelemetry();
  // Each instance's transitions, counted per machine part: the published replay's (every part)
  // and the draft's (the parts its policy drives; the others are the published ones).
  const baseCounts = newTransitionCounts();
  const draftCounts = newTransitionCounts();
  // Each replayed instance's changedParts, for addCounts.
  const changedOf: number[] = [];
  const weightsOnly = parts === STEP_PARTS.weight;

  const replayOne = (inst: PreviewInstance, v: Float64Array, firstStates: FirstStates | undefined) => {
    const { current, proposed } = scope.policiesOf(inst.serviceId);
    const adminState = replayAdminState(inst.adminState);
    // The draft steps only the machines its policy drives; the others are the published replay's.
    const changed = changedParts(current, proposed);
    // The draft's effective weight is then the published one's (advanceCountedShared).
    const weightShared = (changed & STEP_PARTS.weight) === 0;
    const draftParts = changed & parts;
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
        first = at;
        [rb, rd] = resumeRuntimes(v, i, firstStates, { current, proposed, changed }, adminState);
        continue;
      }
      last = at;
      if (weightsOnly) reader.readWeightInputs(v, i);
      else reader.read(inst.id, v, i);
      inB.now = at;
      inD.now = at;
      const b = advanceCounted(rb, inB, parts, baseCounts);
      let d = b;
      if (weightShared) {
        if (draftParts !== 0) advanceCountedShared(rd, inD, draftParts, draftCounts);
      } else d = advanceCounted(rd, inD, draftParts, draftCounts);
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
    if (count < 2) return -1;
    base.endInstance();
    draft.endInstance();
    t.replayed.push({ id: inst.id, first, last });
    t.perInstance.push({ name: inst.name, baseMin: Math.round(baseMin), draftMin: Math.round(draftMin), baseTransitions: 0, draftTransitions: 0 });
    changedOf.push(changed);
    if (actualMin < LOW_WEIGHT) t.actual.below++;
    addCounts(t.perInstance.length - 1, baseCounts, draftCounts, parts);
    return t.perInstance.length - 1;
  };

  // Counts add up in any order: the same figures as counting each transition as it came.
  const addCounts = (index: number, b: TransitionCounts, d: TransitionCounts, of: number) => {
    const changed = changedOf[index]!;
    const unchanged = of & ~changed;
    base.counted(b, of);
    draft.counted(b, unchanged);
    draft.counted(d, changed & of);
    const p = t.perInstance[index]!;
    p.baseTransitions += transitionsIn(b, of);
    p.draftTransitions += transitionsIn(b, unchanged) + transitionsIn(d, changed & of);
  };

  const finish = () => {
    t.baseline = base.counts();
    t.draft = draft.counts();
    return t;
  };
  return { replayOne, addCounts, finish };
}

/** The machines the replay thread steps: every one but the weights. */
const THREAD_PARTS = ALL_STEP_PARTS & ~STEP_PARTS.weight;

/**
 * The preview's replay: with the replay thread (replay-thread-pool.ts) when the preview is large
 * and the thread can run here, else in this thread. The figures are the same either way.
 */
export const replayWindow: WindowReplay = async (db, scope) => {
  // Below SWITCHBACK_PREVIEW_THREAD_FROM (256) the replay takes a few hundred ms or less in one
  // thread, and the thread would cost its start (about half a second the first time) for little.
  const from = env().SWITCHBACK_PREVIEW_THREAD_FROM;
  return replayChunks(db, scope, from > 0 && scope.instances.length >= from ? await replayThread() : null);
};

/** replayWindow in this thread only (the reference the two-thread form is checked against, and benches). */
export const replayWindowOneThread: WindowReplay = (db, scope) => replayChunks(db, scope, null);

/** replayWindow with the replay thread whatever the preview's size (tests; one thread if it cannot run). */
export const replayWindowTwoThreads: WindowReplay = async (db, scope) => replayChunks(db, scope, await replayThread());

async function replayChunks(db: Db, scope: PreviewScope, thread: Awaited<ReturnType<typeof replayThread>>): Promise<WindowTally> {
  const byId = new Map(scope.instances.map((i) => [i.id, i]));
  const job = thread?.startJob(scope.from.getTime(), scope.to.getTime(), THREAD_PARTS) ?? null;
  try {
    return await replayWith(db, scope, byId, job);
  } finally {
    job?.end();
  }
}

async function replayWith(db: Db, scope: PreviewScope, byId: Map<string, PreviewInstance>, job: ThreadJob | null): Promise<WindowTally> {
  const fold = foldWindow(scope, job === null ? ALL_STEP_PARTS : STEP_PARTS.weight);
  const phasesMs = { fetch: 0, replay: 0 };
  const ids = scope.instances.map((i) => i.id);
  const chunk = scope.chunk ?? chunkFor((scope.to.getTime() - scope.from.getTime()) / 60_000);
  // An arena per chunk being read, one for the chunk being replayed, and one more so a read can
  // start while the replay finishes; with the thread, two more for chunks it is still counting.
  // Sized for a chunk of the window at one sample a second (and a minute more), so that none
  // grows while its first chunk is read: ~8.6 MB each at 15 minutes (32 instances).
  const records = chunk * Math.ceil((scope.to.getTime() - scope.from.getTime()) / 1000 + 60);
  const arenas = Array.from({ length: READS_AT_ONCE + (job === null ? 2 : 4) }, () => new RecordArena(records));
  // Every instance's first states in one query beside the first chunks' COPYs, not one per chunk.
  const firstStates = ids.length ? readFirstStates(db, ids, scope.from, scope.to) : undefined;
  firstStates?.catch(() => undefined);
  // Per chunk: the thread's counts, and where each of its instances is in the figures.
  const answers: Array<Promise<Int32Array>> = [];
  const indices: number[][] = [];
  const services = new Set<string>();
  let mainDone = 0;
  let threadDone = 0;
  const progress = () => scope.onProgress?.(Math.min(mainDone, job === null ? mainDone : threadDone), ids.length);
  const chunks = Math.ceil(ids.length / chunk);
  const ahead = readAhead(chunks, arenas, READS_AT_ONCE, (c, arena) => readRecords(db, ids.slice(c * chunk, (c + 1) * chunk), scope.from, scope.to, arena, firstStates));
  const post = (c: number, arena: RecordArena) => {
    const items = [];
    const fresh: Array<[string, ServicePolicies]> = [];
    for (let i = 0; i < arena.instances; i++) {
      const inst = byId.get(arena.ids[i]!)!;
      items.push({ id: inst.id, serviceId: inst.serviceId, adminState: inst.adminState, start: arena.starts[i]!, end: arena.end(i) });
      if (services.has(inst.serviceId)) continue;
      services.add(inst.serviceId);
      const { current, proposed } = scope.policiesOf(inst.serviceId);
      fresh.push([inst.serviceId, { current, proposed, changed: changedParts(current, proposed) }]);
    }
    const answer = job!.post({ seq: c, buffer: arena.buffer, items, firsts: arena.firsts, services: fresh });
    answer
      .then(() => {
        threadDone = Math.min(ids.length, (c + 1) * chunk);
        progress();
      })
      // A failure reaches the preview where the answer is awaited; this is only the progress bar.
      .catch(() => undefined);
    return answer;
  };
  try {
    for (let c = 0; c < chunks; c++) {
      const t0 = performance.now();
      const arena = await ahead.chunk(c);
      if (job !== null) answers[c] = post(c, arena);
      const t1 = performance.now();
      const at: number[] = (indices[c] = []);
      // Records come in (instance, time) order: one run of records per instance.
      for (let i = 0; i < arena.instances; i++) {
        // The web process serves other requests and live streams between every few instances.
        if (i > 0 && i % YIELD_EVERY === 0) await setImmediate();
        at.push(fold.replayOne(byId.get(arena.ids[i]!)!, arena.values(i), arena.firsts[i]));
      }
      phasesMs.fetch += t1 - t0;
      phasesMs.replay += performance.now() - t1;
      mainDone = Math.min((c + 1) * chunk, ids.length);
      progress();
      // The thread may still be counting the chunk: its arena is free once it has answered (a
      // failed answer frees it too; the failure is thrown where the answer is awaited).
      if (job === null) ahead.release(c);
      else void answers[c]!.then(() => ahead.release(c), () => ahead.release(c));
    }
  } finally {
    // A failed preview reads no more chunks (the reads already running end on their own).
    ahead.cancel();
  }
  if (job !== null) {
    const t0 = performance.now();
    const b = newTransitionCounts();
    const d = newTransitionCounts();
    for (let c = 0; c < answers.length; c++) {
      const counts = await answers[c]!;
      const at = indices[c]!;
      for (let i = 0; i < at.length; i++) {
        if (at[i]! < 0) continue;
        countsFrom(counts, i * COUNTS_PER_INSTANCE, b);
        countsFrom(counts, i * COUNTS_PER_INSTANCE + COUNTS_PER_INSTANCE / 2, d);
        fold.addCounts(at[i]!, b, d, THREAD_PARTS);
      }
    }
    phasesMs.fetch += performance.now() - t0;
  }
  return { ...fold.finish(), phasesMs };
}
