// The what-if replay's counting half, as the replay thread runs it (replay-thread.ts): the
// transitions of some machines of one instance, in both replays, counted and nothing else. The
// machines split cleanly because each reads only its own runtime part, its policy and the
// telemetry (server/domain/draft-step.ts): the preview's own thread steps the weights (whose
// effective weights go into sums, which must be added in one order) and this one the stages,
// watermarks and breaker (whose counts are integers, the same added in any order).
import { shareUnchanged } from '../../domain/draft-step';
import { advanceCountedShared, initialRuntime, type InstanceRuntime, type StepInput } from '../../domain/instance-step';
import type { AdminState, FleetPolicies } from '../../domain/model';
import { restoreFrom } from '../../domain/replay';
import type { TransitionCounts } from '../../domain/step-counts';
import { RECORD, recordAt, type RecordTelemetry, sampleAt } from '../telemetry/pack-values';
import type { FirstStates } from '../telemetry/telemetry-pack';

export const replayAdminState = (s: string): AdminState => (s === 'maint' ? 'maintenance' : s) as AdminState;

/** TransitionCounts' fields in the order they travel between the threads. */
const FIELDS = ['weight', 'stage', 'stageBlocked', 'degradation', 'degradationUp', 'ingress', 'ingressOpen', 'breaker', 'breakerOpen'] as const satisfies ReadonlyArray<keyof TransitionCounts>;
/** Int32s per instance in a chunk's answer: the published replay's counts, then the draft's. */
export const COUNTS_PER_INSTANCE = 2 * FIELDS.length;

export function countsInto(c: TransitionCounts, out: Int32Array, at: number): void {
  for (let k = 0; k < FIELDS.length; k++) out[at + k] = c[FIELDS[k]!];
}

export function countsFrom(src: Int32Array, at: number, c: TransitionCounts): void {
  for (let k = 0; k < FIELDS.length; k++) c[FIELDS[k]!] = src[at + k]!;
}

/** One service's policies in a preview: the published ones, the draft's and which parts differ (changedParts). */
export interface ServicePolicies {
  current: FleetPolicies;
  proposed: FleetPolicies;
  changed: number;
}

/**
 * The published and the draft runtime where the live loop stood after record `i` (`first`: the
 * states it carries as the instance's first sample): the replay resumes from it. The draft takes
 * the published runtime's objects for the parts its policy does not change (shareUnchanged).
 */
export function resumeRuntimes(v: Float64Array, i: number, first: FirstStates | undefined, pol: ServicePolicies, adminState: AdminState): [InstanceRuntime, InstanceRuntime] {
  const at = recordAt(v, i);
  const s = sampleAt(v, i, first);
  const rb = initialRuntime(at, restoreFrom(s, pol.current, adminState));
  const rd = initialRuntime(at, restoreFrom(s, pol.proposed, adminState));
  shareUnchanged(rd, rb, pol.changed);
  return [rb, rd];
}

/**
 * Counts into `base` and `draft` (cleared by the caller) the transitions the machines of `parts`
 * make over the records of `v` within [from, to], the published policy's and the draft's, exactly
 * as the preview's fold counts them for those parts; whether the instance is replayed (two
 * samples or more, as the fold has it).
 */
export function countInstance(
  v: Float64Array,
  inst: { id: string; adminState: string },
  first: FirstStates | undefined,
  pol: ServicePolicies,
  window: { from: number; to: number; parts: number },
  reader: RecordTelemetry,
  base: TransitionCounts,
  draft: TransitionCounts,
): boolean {
  const { current, proposed, changed } = pol;
  const { from, to, parts } = window;
  const adminState = replayAdminState(inst.adminState);
  const draftParts = changed & parts;
  const inB: StepInput = { telemetry: reader.telemetry, adminState, now: 0, policies: current };
  const inD: StepInput = { telemetry: reader.telemetry, adminState, now: 0, policies: proposed };
  let rb: InstanceRuntime | null = null;
  let rd: InstanceRuntime | null = null;
  let count = 0;
  let lastAt = -Infinity;
  for (let i = 0, n = v.length / RECORD; i < n; i++) {
    const at = recordAt(v, i);
    if (at < from || at > to) continue;
    if (at <= lastAt) throw new Error('packed samples are out of order');
    lastAt = at;
    count++;
    if (rb === null || rd === null) {
      [rb, rd] = resumeRuntimes(v, i, first, pol, adminState);
      continue;
    }
    reader.read(inst.id, v, i);
    inB.now = at;
    inD.now = at;
    // The published step first: the draft's watermarks read the fills its stage step wrote.
    advanceCountedShared(rb, inB, parts, base);
    if (draftParts !== 0) advanceCountedShared(rd, inD, draftParts, draft);
  }
  return count >= 2;
}
