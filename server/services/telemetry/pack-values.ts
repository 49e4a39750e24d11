// The what-if replay's lean decoding of TelemetryPack: an instance's packs become one Float64Array
// in this machine's byte order (one aligned copy and a native byte swap, instead of a
// readDoubleBE per field), and each record is read straight into one reused InstanceTelemetry
// instead of a RecordedSample object of five arrays turned into a telemetry object of six more.
// Both give exactly what unpack + telemetryOf give for the same record (pack-values.test.ts):
// the serial reference (test/whatif-serial-replay.ts) keeps that path and the bench compares.
import { endianness } from 'node:os';
import { STAGES, type InstanceTelemetry, type StageTelemetry } from '../../domain/model';
import type { RecordedSample } from '../../domain/replay';
import { decodeInto, isRawPack, PACK_FIELD_COUNT, packRecords } from './pack-codec';
// Types only: telemetry-pack.ts loads the database client, which the replay's thread does without.
import type { FirstStates } from './telemetry-pack';

/** Float8s per packed sample, and where each field sits in a record (PACK_FIELDS order). */
export const RECORD = PACK_FIELD_COUNT;
const PACK_RECORD_BYTES = RECORD * 8;
const AT = 0, UP = 1, RT = 2, CPU = 3, P95 = 4, CONN = 5, ERR = 6, REQ = 7, ACTIVE = 8, MAXC = 9, INGRESS = 10, EFFECTIVE = 11;
const AGE_CPU = 12, AGE_P95 = 13, AGE_CONN = 14, FILL = 15, INPUTS = 20, OUTPUTS = 25, BLOCKED = 30;

const SWAP = endianness() === 'LE';

/**
 * The float8s of `packs` (whole records, oldest first), concatenated, in this machine's byte
 * order: in `into` (a view of its start) when it is long enough, else in a new array. A replay
 * reuses one array for every instance: a new quarter-megabyte array per instance each is a large
 * object for the garbage collector.
 */
export function packValues(packs: readonly Buffer[], into?: Float64Array): Float64Array {
  let records = 0;
  let raw = true;
  for (const p of packs) {
    records += packRecords(p);
    if (!isRawPack(p)) raw = false;
  }
  const out = into !== undefined && into.length >= records * RECORD ? into.subarray(0, records * RECORD) : new Float64Array(records * RECORD);
  if (raw) {
    const bytes = records * PACK_RECORD_BYTES;
    const view = Buffer.from(out.buffer, out.byteOffset, bytes);
    let at = 0;
    for (const p of packs) at += p.copy(view, at);
    if (SWAP && bytes > 0) view.swap64();
    return out;
  }
  // Lean packs (pack-codec.ts) decode field by field; raw ones among them (the minutes packed on
  // the fly) are copied and swapped in place.
  let r = 0;
  for (const p of packs) {
    const n = packRecords(p);
    if (isRawPack(p)) {
      const view = Buffer.from(out.buffer, out.byteOffset + r * PACK_RECORD_BYTES, n * PACK_RECORD_BYTES);
      p.copy(view, 0);
      if (SWAP && n > 0) view.swap64();
    } else decodeInto(p, out, r);
    r += n;
  }
  return out;
}

/** The time of record `i`. */
export const recordAt = (v: Float64Array, i: number): number => v[i * RECORD + AT]!;
/** The recorded effective weight of record `i` (the "actually" figures). */
export const recordEffectiveWeight = (v: Float64Array, i: number): number => v[i * RECORD + EFFECTIVE]!;

const NO_STATES: FirstStates = { targetWeight: 0, degradation: 0, breaker: 'closed', stageState: [], recomputeAgeMs: null };
const orNull = (x: number) => (x !== x ? null : x);
const orZero = (x: number) => (x !== x ? 0 : x);

/** Record `i` as the RecordedSample unpack makes of it (`first`: the states it carries as an instance's first sample). */
export function sampleAt(v: Float64Array, i: number, first: FirstStates | undefined): RecordedSample {
  const o = i * RECORD;
  const states = first ?? NO_STATES;
  const hasStages = v[o + INPUTS] === v[o + INPUTS];
  const five = (at: number) => [0, 1, 2, 3, 4].map((k) => orZero(v[o + at + k]!));
  return {
    at: v[o + AT]!,
    up: v[o + UP] !== 0,
    rtMs: orNull(v[o + RT]!),
    cpu: orNull(v[o + CPU]!),
    p95Ms: orNull(v[o + P95]!),
    connections: orNull(v[o + CONN]!),
    errorRate: orNull(v[o + ERR]!),
    requests: orNull(v[o + REQ]!),
    activeRequests: orNull(v[o + ACTIVE]!),
    maxConcurrency: orNull(v[o + MAXC]!),
    ingressTimeouts: orNull(v[o + INGRESS]!),
    stageFill: five(FILL),
    stageInputs: hasStages ? five(INPUTS) : [],
    stageOutputs: hasStages ? five(OUTPUTS) : [],
    stageBlocked: hasStages ? five(BLOCKED).map((b) => b === 1) : [],
    targetWeight: states.targetWeight,
    effectiveWeight: v[o + EFFECTIVE]!,
    degradation: states.degradation,
    breaker: states.breaker,
    stageState: states.stageState,
    inputAgeMs: { cpu: orNull(v[o + AGE_CPU]!), p95: orNull(v[o + AGE_P95]!), connections: orNull(v[o + AGE_CONN]!), recompute: states.recomputeAgeMs },
  };
}

const orUndefined = (x: number) => (x !== x ? undefined : x);
/** An input counts as measured only on the ticks it was taken (age 0), as telemetryOf has it. */
const taken = (x: number, age: number) => (age === 0 ? orUndefined(x) : undefined);

/**
 * One InstanceTelemetry, refilled from each record: equal to telemetryOf(id, sampleAt(v, i)).
 * The step reads its telemetry and keeps none of it, so one object (and one stages array) serves
 * every tick; it is overwritten by the next `read`.
 */
export class RecordTelemetry {
  private readonly stageObjects: StageTelemetry[] = STAGES.map(() => ({ fill: 0, inputs: 0, outputs: 0, outputBlocked: false }));
  readonly telemetry: InstanceTelemetry = {
    instanceId: '', up: true, rtMs: undefined, cpuPct: undefined, p95Ms: undefined, connections: undefined, requests: undefined, errors: undefined,
    activeRequests: undefined, maxConcurrency: undefined, ingressWriteTimeouts: undefined, stages: undefined,
  };

  /**
   * read() of only what the weight machines read (up and the sampled inputs), for a replay that
   * steps only them (the preview's own thread, beside its replay thread): the other fields keep
   * what they held.
   */
  readWeightInputs(v: Float64Array, i: number): InstanceTelemetry {
    const o = i * RECORD;
    const t = this.telemetry;
    t.up = v[o + UP] !== 0;
    t.cpuPct = taken(v[o + CPU]!, v[o + AGE_CPU]!);
    t.p95Ms = taken(v[o + P95]!, v[o + AGE_P95]!);
    t.connections = taken(v[o + CONN]!, v[o + AGE_CONN]!);
    return t;
  }

  read(instanceId: string, v: Float64Array, i: number): InstanceTelemetry {
    const o = i * RECORD;
    const t = this.telemetry;
    const requests = orUndefined(v[o + REQ]!);
    const errorRate = v[o + ERR]!;
    t.instanceId = instanceId;
    t.up = v[o + UP] !== 0;
    t.rtMs = orUndefined(v[o + RT]!);
    t.cpuPct = taken(v[o + CPU]!, v[o + AGE_CPU]!);
    t.p95Ms = taken(v[o + P95]!, v[o + AGE_P95]!);
    t.connections = taken(v[o + CONN]!, v[o + AGE_CONN]!);
    t.requests = requests;
    t.errors = requests !== undefined && errorRate === errorRate ? Math.round(errorRate * requests) : undefined;
    t.activeRequests = orUndefined(v[o + ACTIVE]!);
    t.maxConcurrency = orUndefined(v[o + MAXC]!);
    t.ingressWriteTimeouts = orUndefined(v[o + INGRESS]!);
    // Rows from before the stage inputs were recorded have none: the step then skips the stages.
    if (v[o + INPUTS] === v[o + INPUTS]) {
      const stages = this.stageObjects;
      for (let k = 0; k < stages.length; k++) {
        const s = stages[k]!;
        s.fill = orZero(v[o + FILL + k]!);
        s.inputs = orZero(v[o + INPUTS + k]!);
        s.outputs = orZero(v[o + OUTPUTS + k]!);
        // NaN (NULL) is not 1 either: orZero's 0 gives the same false.
        s.outputBlocked = v[o + BLOCKED + k] === 1;
      }
      t.stages = stages;
    } else t.stages = undefined;
    return t;
  }
}
