'use client';

// Every call the experiments pages make to the server, in one place: the pages read hooks, never
// paths. Query keys have the tRPC shape ([[router, procedure], {input, type}]) so that one
// invalidation under ['experiments'] refreshes every cached answer.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPCClient } from '@/components/trpc/client';
import type { ExperimentDraft } from '@/server/domain/experiments/spec';
import type { ExperimentRow, PreviewResult, RunDetail, RunRow, ScheduleRow, TemplateView } from './contract';

type Q<I, O> = { query: (input: I) => Promise<O> };
type M<I, O> = { mutate: (input: I) => Promise<O> };

export interface StartInput {
  experimentId: string;
  guardOverrideReason?: string;
  freezeOverrideReason?: string;
}

export interface RunsListInput {
  experimentId?: string;
  state?: string;
  limit?: number;
}

/** The procedures of the contract (COMMON.md) this console calls. */
interface ExperimentsClient {
  experiments: {
    templates: Q<void, TemplateView[]>;
    list: Q<{ includeArchived?: boolean; q?: string }, ExperimentRow[]>;
    get: Q<{ id: string }, ExperimentRow>;
    create: M<ExperimentDraft, { id: string; version: number }>;
    update: M<{ id: string; version: number } & ExperimentDraft, { id: string; version: number }>;
    archive: M<{ id: string; version: number }, unknown>;
    preview: M<{ spec: ExperimentDraft['spec'] }, PreviewResult>;
    schedules: { list: Q<{ experimentId?: string }, ScheduleRow[]> };
    runs: { list: Q<RunsListInput, RunRow[]>; get: Q<{ runId: string }, RunDetail> };
    start: M<StartInput, { id: string; number: number; version: number; targets: number; warnings: string[] }>;
    abort: M<{ runId: string; version?: number; reason: string }, unknown>;
    report: Q<{ runId: string; format: 'json' | 'markdown' }, unknown>;
  };
}

export const EXPERIMENTS_KEY = [['experiments']] as const;
const key = (path: string[], input: unknown) => [path, { input, type: 'query' }] as const;

function useClient(): ExperimentsClient {
  return useTRPCClient() as unknown as ExperimentsClient;
}

export function useTemplates() {
  const c = useClient();
  return useQuery({ queryKey: key(['experiments', 'templates'], undefined), queryFn: () => c.experiments.templates.query(), staleTime: 60_000 });
}

export function useExperimentList(input: { includeArchived?: boolean; q?: string }) {
  const c = useClient();
  return useQuery({ queryKey: key(['experiments', 'list'], input), queryFn: () => c.experiments.list.query(input) });
}

export function useExperiment(id: string | null) {
  const c = useClient();
  return useQuery({ queryKey: key(['experiments', 'get'], { id }), queryFn: () => c.experiments.get.query({ id: id ?? '' }), enabled: Boolean(id) });
}

export function useSchedules(input: { experimentId?: string }) {
  const c = useClient();
  return useQuery({ queryKey: key(['experiments', 'schedules', 'list'], input), queryFn: () => c.experiments.schedules.list.query(input) });
}

export function useRunList(input: RunsListInput) {
  const c = useClient();
  return useQuery({ queryKey: key(['experiments', 'runs', 'list'], input), queryFn: () => c.experiments.runs.list.query(input) });
}

export const runKey = (runId: string) => key(['experiments', 'runs', 'get'], { runId });

export function useRun(runId: string) {
  const c = useClient();
  return useQuery({ queryKey: runKey(runId), queryFn: () => c.experiments.runs.get.query({ runId }) });
}

export function useReportExport() {
  const c = useClient();
  return useMutation({ mutationFn: (v: { runId: string; format: 'json' | 'markdown' }) => c.experiments.report.query(v) });
}

/** Refetches every cached experiments answer (after a command, or on a live event). */
export function useInvalidateExperiments() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: EXPERIMENTS_KEY });
}

export function useExperimentCommands() {
  const c = useClient();
  const invalidate = useInvalidateExperiments();
  const after = { onSettled: () => void invalidate() };
  return {
    create: useMutation({ mutationFn: (d: ExperimentDraft) => c.experiments.create.mutate(d), ...after }),
    update: useMutation({ mutationFn: (d: { id: string; version: number } & ExperimentDraft) => c.experiments.update.mutate(d), ...after }),
    archive: useMutation({ mutationFn: (d: { id: string; version: number }) => c.experiments.archive.mutate(d), ...after }),
    start: useMutation({ mutationFn: (d: StartInput) => c.experiments.start.mutate(d), ...after }),
    abort: useMutation({ mutationFn: (d: { runId: string; version?: number; reason: string }) => c.experiments.abort.mutate(d), ...after }),
  };
}

export function usePreviewMutation() {
  const c = useClient();
  return useMutation({ mutationFn: (spec: ExperimentDraft['spec']) => c.experiments.preview.mutate({ spec }) });
}
