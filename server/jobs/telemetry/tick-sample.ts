import { advanceInstance, type InstanceRuntime, type StepResult } from '../../domain/instance-step';
import { ageMs } from '../../domain/sampling';
import type { StageMachine } from '../../domain/stage-machine';
import { type BinaryCopyWriter, float8Element, OID } from './copy-binary';
import type { InstanceTelemetry, StageTelemetry } from '../../domain/model';
import type { FleetView } from '../../platform/adapter';
import type { LoadedPolicies } from './fleet';
import { SAMPLE_FIELDS, type SampleRow, type TransitionRow } from './persist';

/** What one tick's domain step reads and keeps between ticks (the loop owns it). */
export interface StepState {
  runtimes: Map<string, InstanceRuntime>;
  /** The weight last applied to the platform per instance. */
  applied: Map<string, number>;
}

/** What a range of instances produced: appended to by each `stepRange`. */
export interface StepOutput {
  transitions: TransitionRow[];
  weights: Array<{ instanceId: string; weight: number }>;
}

/**
 * Runs the domain for instances [from, to) of the fleet at `slot` and appends their samples (in
 * fleet order) to `w` as binary COPY tuples of tick `tickId`; transitions and weights to apply
 * are appended to `out`. The loop calls it piece by piece, streaming each piece's samples to
 * PostgreSQL while it steps the next. Each sample is encoded straight from the step's result: a
 * SampleRow object and its three stage arrays per instance and tick were garbage the GC paid for.
 */
export function stepRange(
  view: FleetView,
  from: number,
  to: number,
  byId: ReadonlyMap<string, InstanceTelemetry>,
  policies: LoadedPolicies,
  slot: number,
  policyChanged: boolean,
  state: StepState,
  out: StepOutput,
  w: BinaryCopyWriter,
  tickId: bigint,
): void {
  for (let k = from; k < to; k++) {
    const inst = view.instances[k]!;
    const t = byId.get(inst.id) ?? { instanceId: inst.id, up: false };
    const r = state.runtimes.get(inst.id)!;
    // advanceInstance, not stepInstance: the sample is read from the runtime itself, without the
    // snapshot (stage states, times, fills, ages) stepInstance copies out per instance and tick.
    const res = advanceInstance(r, {
      telemetry: t,
      adminState: inst.adminState,
      now: slot,
      policies: policies.byService.get(inst.serviceId) ?? policies.fleet,
      forceRecompute: policyChanged ? 'policy' : undefined,
    });
    for (const tr of res.transitions) out.transitions.push({ ...tr, instanceId: inst.id });
    const weight = Math.round(res.effectiveWeight);
    if (state.applied.get(inst.id) !== weight) out.weights.push({ instanceId: inst.id, weight });
    encodeSample(w, tickId, slot, inst.id, t, r, res.effectiveWeight);
  }
}

const errorRateOf = (t: InstanceTelemetry) => (t.requests ? ((t.errors ?? 0) + (t.timeouts ?? 0)) / t.requests : t.up ? 0 : null);

/** The sample a step produced, as a row (persistTick's input; the same fields encodeSample writes). */
export function sampleRow(instanceId: string, t: InstanceTelemetry, res: StepResult): SampleRow {
  const stages = t.stages;
  return {
    instanceId,
    up: t.up,
    rtMs: t.rtMs ?? null,
    cpu: res.inputs.cpuPct,
    memory: t.memPct ?? null,
    p50Ms: t.p50Ms ?? null,
    p95Ms: res.inputs.p95Ms,
    p99Ms: t.p99Ms ?? null,
    connections: res.inputs.connections,
    rps: t.rps ?? null,
    errorRate: errorRateOf(t),
    inputAgeMs: res.inputAgeMs,
    targetWeight: res.targetWeight,
    effectiveWeight: res.effectiveWeight,
    degradation: res.degradation,
    breaker: res.breaker,
    stageFill: res.stageFill,
    stageState: res.stageStates,
    requests: t.requests ?? null,
    activeRequests: t.activeRequests ?? null,
    maxConcurrency: t.maxConcurrency ?? null,
    ingressTimeouts: t.ingressWriteTimeouts ?? null,
    stageInputs: stages ? stages.map((s) => s.inputs) : [],
    stageOutputs: stages ? stages.map((s) => s.outputs) : [],
    stageBlocked: stages ? stages.map((s) => s.outputBlocked) : [],
  };
}

/**
 * sampleTuples([sampleRow(id, t, stepInstance(...))]) byte for byte, read from the runtime that
 * advanceInstance left at `atMs` (tick-sample.test.ts checks it against stepInstance's result).
 */
export function encodeSample(w: BinaryCopyWriter, tickId: bigint, atMs: number, instanceId: string, t: InstanceTelemetry, r: InstanceRuntime, effectiveWeight: number): void {
  const stages = t.stages ?? NO_STAGES;
  const s = r.sampled;
  const weight = r.weight;
  w.row(SAMPLE_FIELDS).uuid(instanceId).timestamp(atMs).int8(tickId).bool(t.up)
    .float8(t.rtMs ?? null).float8(s.cpu.value).float8(t.memPct ?? null).float8(t.p50Ms ?? null).float8(s.p95.value).float8(t.p99Ms ?? null)
    .float8(s.connections.value).float8(t.rps ?? null).float8(errorRateOf(t))
    // JSON.stringify of stepInstance's inputAgeMs, in its key order.
    .jsonbText(`{"cpu":${json(ageMs(s.cpu, atMs))},"p95":${json(ageMs(s.p95, atMs))},"connections":${json(ageMs(s.connections, atMs))},"recompute":${json(weight.lastFullRecomputeAt === null ? null : atMs - weight.lastFullRecomputeAt)}}`)
    .float8(weight.target).float8(effectiveWeight).int4(r.ladder.level).text(r.breaker.state)
    .array(OID.float8, r.fill, float8Element).array(OID.text, r.stages, stateElement)
    .float8(t.requests ?? null).float8(t.activeRequests ?? null).float8(t.maxConcurrency ?? null).float8(t.ingressWriteTimeouts ?? null)
    .array(OID.float8, stages, inputsElement).array(OID.float8, stages, outputsElement)
    .array(OID.bool, stages, blockedElement);
}

/** A number or null as JSON.stringify writes it (NaN and ±Infinity as null). */
const json = (v: number | null) => (v !== null && Number.isFinite(v) ? String(v) : 'null');

// Element writers that read the stage itself: no array of inputs, outputs or flags per instance.
const NO_STAGES: readonly StageTelemetry[] = [];
const inputsElement = (w: BinaryCopyWriter, s: StageTelemetry) => void w.float8(s.inputs);
const outputsElement = (w: BinaryCopyWriter, s: StageTelemetry) => void w.float8(s.outputs);
const blockedElement = (w: BinaryCopyWriter, s: StageTelemetry) => void w.bool(s.outputBlocked);
const stateElement = (w: BinaryCopyWriter, m: StageMachine) => void w.text(m.state);
