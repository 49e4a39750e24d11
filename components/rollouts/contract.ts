// The shapes of `rollouts.*` answers the console reads (the contract in the brief).
// Written down here so the pages could be built before the router existed; once it is merged the
// aliases below are checked against it (see router-types.ts).
import type { AbortReason, PauseReason, RolloutState } from '@/server/domain/rollouts/machine';
import type { RolloutSpec, RolloutStep } from '@/server/domain/rollouts/spec';
import type { AnalysisResult, Verdict } from '@/server/domain/rollouts/analysis/types';
import type { ServiceRouting } from '@/server/domain/model';

export type { AbortReason, PauseReason, RolloutState, RolloutSpec, RolloutStep, AnalysisResult, Verdict, ServiceRouting };

export interface ApprovalSummary {
  requestId: string;
  quorum: number;
  approvals: number;
  expiresAt: string | number | Date;
  /** The signed-in user may decide this request (an approver who is not the author, not yet decided). */
  canDecide: boolean;
}

export interface RolloutRow {
  id: string;
  name: string;
  service: { id: string; name: string };
  stableVersion: string;
  canaryVersion: string;
  state: RolloutState;
  pauseReason: PauseReason | null;
  abortReason: AbortReason | null;
  stateDetail: string | null;
  currentStep: number;
  stepCount: number;
  desiredCanaryPct: number;
  measuredCanaryPct: number | null;
  verdict: Verdict | null;
  approval: ApprovalSummary | null;
  createdByName: string | null;
  startedByName: string | null;
  startedAt: string | number | Date | null;
  createdAt: string | number | Date;
  updatedAt: string | number | Date;
  version: number;
}

/** A guard holding a step that raises canary traffic (server/domain/rollouts/guards.ts). */
export interface GuardHoldView {
  /** Which guard, e.g. "degradation", "breaker", "buffer". */
  guard?: string;
  kind?: string;
  zone?: string | null;
  instance?: string | null;
  /** The live value that holds it, e.g. 0.91 (buffer fill) or 2 (level). */
  value?: number | string | null;
  threshold?: number | string | null;
  /** The hold in words. */
  message?: string;
  summary?: string;
}

export interface StepRunView {
  state?: string;
  startedAt?: string | number | Date | null;
  endedAt?: string | number | Date | null;
  finishedAt?: string | number | Date | null;
  appliedAt?: string | number | Date | null;
  outcome?: string | null;
  heldBy?: unknown;
  overrideReason?: string | null;
  overrideByName?: string | null;
}

export interface ApprovalDecisionView {
  id: string;
  approverName: string;
  decision: 'approve' | 'reject';
  reason: string;
  decidedAt?: string | number | Date;
  createdAt?: string | number | Date;
}

export interface ApprovalRequestView {
  id: string;
  stepIndex: number;
  quorum: number;
  expiresAt: string | number | Date;
  onExpiry: string;
  state: 'open' | 'approved' | 'rejected' | 'expired';
  createdAt?: string | number | Date;
}

export interface AnalysisRunView {
  id: string;
  stepIndex: number;
  verdict: string;
  startedAt?: string | number | Date;
  result: unknown;
}

export interface RolloutEventView {
  id: string;
  at: string | number | Date;
  kind: string;
  fromState: string | null;
  toState: string | null;
  summary: string;
  actorName: string | null;
}

export interface RolloutDetail extends RolloutRow {
  spec: RolloutSpec;
  steps: Array<{ index: number; step: RolloutStep; run: StepRunView | null }>;
  approvals: Array<{ request: ApprovalRequestView; decisions: ApprovalDecisionView[] }>;
  analyses: AnalysisRunView[];
  guards: GuardHoldView[];
  events: RolloutEventView[];
  canDecide: boolean;
  isAuthor: boolean;
}

export interface HistoryPoint {
  at: number | string | Date;
  desiredCanaryPct: number;
  measuredCanaryPct: number | null;
}

export interface PreviewStep {
  index: number;
  step: RolloutStep;
  routing: ServiceRouting;
  versionSplit: Record<string, number>;
  instances: Array<{ id: string; name: string; zone: string; version: string; weight: number; sharePct: number }>;
  raisesCanary: boolean;
  holds: GuardHoldView[];
}

export interface PreviewResult {
  problems: Array<{ path: string; message: string }>;
  steps: PreviewStep[];
}

export type MetricResultView = AnalysisResult['metrics'][number];
