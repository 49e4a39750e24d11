// The shapes of `experiments.*` answers the console reads, straight from the router's types.
import type { RouterOutputs } from '@/components/trpc/client';

export type TemplateView = RouterOutputs['experiments']['templates'][number];
export type ExperimentListRow = RouterOutputs['experiments']['list']['experiments'][number];
export type ExperimentDetail = RouterOutputs['experiments']['get'];
export type PreviewResult = RouterOutputs['experiments']['preview'];
export type PreviewTarget = PreviewResult['selected'][number];
export type ScheduleRow = RouterOutputs['experiments']['schedules']['list'][number];

export type RunRow = RouterOutputs['experiments']['runs']['list']['runs'][number];
export type RunView = RouterOutputs['experiments']['runs']['get'];
export type RunTarget = RunView['targets'][number];
export type InjectionView = RunView['injections'][number];
export type ConditionValue = RunView['conditions'][number];
export type RunEventView = RunView['events'][number];

/** The report as experiments.report answers it in JSON. */
type ReportAnswer = Extract<RouterOutputs['experiments']['report'], { format: 'json' }>;
export type RunReport = ReportAnswer['report'];
export type LayerReport = RunReport['layers'][number];
