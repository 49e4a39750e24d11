// The what-if preview's replay as it was before it folded the figures step by step (the form of
// issue 5): each instance's samples unpacked into objects, replayed through each policy with
// replayInstance, every point and transition kept and counted at the end. Tests check the
// preview against it on the same recorded data, and `npm run bench -- scale` times it as the
// baseline.
import type { Db } from '../server/db/client';
import { countReplay, LOW_WEIGHT, replayInstance, type ReplayResult } from '../server/domain/replay';
import { BUCKET_MS, type WindowReplay, type WindowTally } from '../server/services/policies/preview-replay';
import { replayAdminState } from '../server/services/policies/replay-counts';
import { loadRecorded } from '../server/services/telemetry/recorded-samples';

/** Instances per fetch, as the serial form had it. */
const PREVIEW_CHUNK = 8;

export const serialReplayWindow: WindowReplay = async (db: Db, scope) => {
  const { from, to } = scope;
  const ids = scope.instances.map((i) => i.id);
  const chunks: string[][] = [];
  for (let k = 0; k < ids.length; k += PREVIEW_CHUNK) chunks.push(ids.slice(k, k + PREVIEW_CHUNK));
  const byId = new Map(scope.instances.map((i) => [i.id, i]));
  const phases = { fetch: 0, replay: 0 };
  let sampleCount = 0;
  const base: ReplayResult[] = [];
  const draft: ReplayResult[] = [];
  const perInstance: WindowTally['perInstance'] = [];
  const series: WindowTally['series'] = new Map();
  const actualWeights = { sum: 0, n: 0, below: 0 };
  const replayed: WindowTally['replayed'] = [];
  const load = (chunk: string[]) => loadRecorded(db, chunk, from, to);
  let next = chunks.length ? load(chunks[0]!) : null;
  for (let k = 0; next; k++) {
    const t0 = performance.now();
    const recorded = await next;
    next = k + 1 < chunks.length ? load(chunks[k + 1]!) : null;
    const t1 = performance.now();
    for (const [id, samples] of recorded) {
      const inst = byId.get(id)!;
      sampleCount += samples.length;
      if (samples.length < 2) continue;
      replayed.push({ id, first: samples[0]!.at, last: samples[samples.length - 1]!.at });
      const { current, proposed } = scope.policiesOf(inst.serviceId);
      const adminState = replayAdminState(inst.adminState);
      const b = replayInstance(inst.id, samples, current, { adminState });
      const d = replayInstance(inst.id, samples, proposed, { adminState });
      base.push(b);
      draft.push(d);
      const min = (r: ReplayResult) => Math.round(Math.min(...r.points.map((p) => p.effectiveWeight)));
      perInstance.push({ name: inst.name, baseMin: min(b), draftMin: min(d), baseTransitions: b.transitions.length, draftTransitions: d.transitions.length });
      let actualMin = Infinity;
      for (let i = 0; i < b.points.length; i++) {
        const at = Math.floor(b.points[i]!.at / BUCKET_MS) * BUCKET_MS;
        const s = series.get(at) ?? { actual: 0, base: 0, draft: 0, n: 0 };
        const w = samples[i + 1]!.effectiveWeight;
        actualMin = Math.min(actualMin, w);
        actualWeights.sum += w;
        actualWeights.n++;
        s.actual += w;
        s.base += b.points[i]!.effectiveWeight;
        s.draft += d.points[i]!.effectiveWeight;
        s.n++;
        series.set(at, s);
      }
      if (actualMin < LOW_WEIGHT) actualWeights.below++;
    }
    phases.fetch += t1 - t0;
    phases.replay += performance.now() - t1;
  }
  return { samples: sampleCount, replayed, baseline: countReplay(base), draft: countReplay(draft), perInstance, series, actual: actualWeights, phasesMs: phases, threads: 1 };
};
