import { stepInstance, type InstanceRuntime } from '../../domain/instance-step';
import type { InstanceTelemetry, StageTelemetry } from '../../domain/model';
import type { FleetView } from '../../platform/adapter';
import type { LoadedPolicies } from './fleet';
import type { SampleRow, TransitionRow } from './persist';

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
 * Runs the domain for instances [from, to) of the fleet at `slot` and returns their samples (in
 * fleet order); transitions and weights to apply are appended to `out`. The loop calls it piece by
 * piece, streaming each piece's samples to PostgreSQL while it steps the next.
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
): SampleRow[] {
  const samples: SampleRow[] = new Array<SampleRow>(to - from);
  for (let k = from; k < to; k++) {
    const inst = view.instances[k]!;
    const t = byId.get(inst.id) ?? { instanceId: inst.id, up: false };
    const res = stepInstance(state.runtimes.get(inst.id)!, {
      telemetry: t,
      adminState: inst.adminState,
      now: slot,
      policies: policies.byService.get(inst.serviceId) ?? policies.fleet,
      forceRecompute: policyChanged ? 'policy' : undefined,
    });
    state.runtimes.set(inst.id, res.runtime);
    for (const tr of res.transitions) out.transitions.push({ ...tr, instanceId: inst.id });
    const w = Math.round(res.effectiveWeight);
    if (state.applied.get(inst.id) !== w) out.weights.push({ instanceId: inst.id, weight: w });
    const stages = t.stages;
    samples[k - from] = {
      instanceId: inst.id,
      up: t.up,
      rtMs: t.rtMs ?? null,
      cpu: res.inputs.cpuPct,
      memory: t.memPct ?? null,
      p50Ms: t.p50Ms ?? null,
      p95Ms: res.inputs.p95Ms,
      p99Ms: t.p99Ms ?? null,
      connections: res.inputs.connections,
      rps: t.rps ?? null,
      errorRate: t.requests ? ((t.errors ?? 0) + (t.timeouts ?? 0)) / t.requests : t.up ? 0 : null,
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
      stageInputs: stages ? stageInputs(stages) : NONE,
      stageOutputs: stages ? stageOutputs(stages) : NONE,
      stageBlocked: stages ? stageBlocked(stages) : NO_FLAGS,
    };
  }
  return samples;
}

// Plain loops instead of three `map` calls with a fresh closure each, per instance and tick: the
// loop's own garbage adds to every tick's GC pauses. The empty arrays are shared and never mutated.
const NONE: number[] = [];
const NO_FLAGS: boolean[] = [];
function stageInputs(stages: readonly StageTelemetry[]): number[] {
  const out = new Array<number>(stages.length);
  for (let i = 0; i < stages.length; i++) out[i] = stages[i]!.inputs;
  return out;
}
function stageOutputs(stages: readonly StageTelemetry[]): number[] {
  const out = new Array<number>(stages.length);
  for (let i = 0; i < stages.length; i++) out[i] = stages[i]!.outputs;
  return out;
}
function stageBlocked(stages: readonly StageTelemetry[]): boolean[] {
  const out = new Array<boolean>(stages.length);
  for (let i = 0; i < stages.length; i++) out[i] = stages[i]!.outputBlocked;
  return out;
}
