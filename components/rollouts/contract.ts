// The shapes of `rollouts.*` answers the console reads, straight from the router's types.
import type { RouterOutputs } from '@/components/trpc/client';
import type { GuardHold } from '@/server/domain/rollouts/guards';
import type { AnalysisResult } from '@/server/domain/rollouts/analysis/types';

export type RolloutRow = RouterOutputs['rollouts']['list'][number];
export type RolloutDetail = RouterOutputs['rollouts']['get'];
export type HistoryPoint = RouterOutputs['rollouts']['history']['points'][number];
export type PreviewResult = RouterOutputs['rollouts']['preview'];
export type PreviewStep = PreviewResult['steps'][number];
export type StepRunView = NonNullable<RolloutDetail['steps'][number]['run']>;
export type AnalysisRunView = RolloutDetail['analyses'][number];
export type RolloutEventView = RolloutDetail['events'][number];
export type GuardHoldView = GuardHold;
export type { AnalysisResult };
export type MetricResultView = AnalysisResult['metrics'][number];
