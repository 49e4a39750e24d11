// The shapes of `experiments.*` answers the console reads: the authoring side straight from the
// router's types; the run side written against the contract in COMMON.md until its router lands.
import type { RouterOutputs } from '@/components/trpc/client';
import type { ExperimentSpec, FaultSpecValue, Condition } from '@/server/domain/experiments/spec';
import type { RunAbortReason, RunState, TargetState } from '@/server/domain/experiments/machine';

export type TemplateView = RouterOutputs['experiments']['templates'][number];
export type ExperimentListRow = RouterOutputs['experiments']['list']['experiments'][number];
export type ExperimentDetail = RouterOutputs['experiments']['get'];
export type PreviewResult = RouterOutputs['experiments']['preview'];
export type PreviewTarget = PreviewResult['selected'][number];
export type ScheduleRow = RouterOutputs['experiments']['schedules']['list'][number];

export interface RunRow {
  id: string;
  experimentId: string;
  experimentName: string;
  number: number;
  state: RunState;
  trigger: 'manual' | 'schedule';
  abortReason: RunAbortReason | null;
  stateDetail: string | null;
  targetCount: number;
  createdAt: string | Date;
  injectedAt: string | Date | null;
  endedAt: string | Date | null;
  /** Whether every layer met the availability target and self-healed (from the report), or null before it. */
  verdict?: 'met' | 'missed' | null;
  version: number;
}

export interface TargetHealth {
  id: string;
  instanceId: string;
  name: string;
  service: string;
  zone: string;
  cluster: string;
  state: TargetState;
  detail: string | null;
  weight: number | null;
  targetWeight?: number | null;
  level: number | null;
  breaker: string | null;
  up?: boolean | null;
  buffers: Array<{ stage: string; fill: number }>;
}

export interface InjectionView {
  id: string;
  targetId?: string | null;
  instanceName: string;
  spec: FaultSpecValue;
  desired: boolean;
  injectedAt: string | Date | null;
  removedAt: string | Date | null;
  removeReason: string | null;
  leaseExpiresAt: string | Date | null;
  expiresAt: string | Date | null;
  platformExpiresAt?: string | Date | null;
  lastError: string | null;
}

export interface ConditionValue {
  condition: Condition;
  /** The live value in the condition's unit (%, ms, count), or null without data. */
  value: number | null;
  fired: boolean;
  words?: string;
}

export interface RunEventView {
  id: string;
  at: string | Date;
  kind: string;
  summary: string;
}

export interface Quantiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** One layer of the report (server: buildRunReport): during the fault vs the baseline window before it. */
export interface LayerReport {
  layer: string;
  services: string[];
  baseline: Quantiles & { availabilityPct: number | null; requests: number };
  fault: Quantiles & { availabilityPct: number | null; requests: number };
  delta: Quantiles;
  availabilityTargetPct: number;
  metTarget: boolean | null;
  /** Seconds from removal until healthy and staying so; null = did not self-heal. */
  selfHealS: number | null;
  maxLevel: number | null;
  breakerTrips: number;
}

export interface RunReport {
  runId: string;
  title: string;
  outcome: string;
  injectedAt: string;
  faultsRemovedAt: string;
  observedUntil: string;
  availabilityTargetPct: number;
  layers: LayerReport[];
}

export interface RunDetail extends RunRow {
  spec: ExperimentSpec;
  experimentVersion: number;
  runUntil: string | Date | null;
  faultsRemovedAt: string | Date | null;
  guardOverrideReason?: string | null;
  freezeOverrideReason?: string | null;
  targets: TargetHealth[];
  injections: InjectionView[];
  abortConditions: ConditionValue[];
  events: RunEventView[];
  report: RunReport | null;
}
