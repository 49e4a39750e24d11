'use client';

// Every call the experiments pages make to the server, in one place: the pages read hooks, never
// paths. The run procedures are called through a structural client until their router lands
// (their query keys have the tRPC shape, so one invalidation under ['experiments'] refreshes all).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient, type RouterInputs } from '@/components/trpc/client';
import type { RunDetail, RunRow } from './contract';

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
}

/** The run procedures of the contract (COMMON.md; h-runs' run-inputs.ts). */
interface RunsClient {
  experiments: {
    runs: { list: Q<RunsListInput, RunRow[] | { runs: RunRow[] }>; get: Q<{ runId: string }, RunDetail> };
    start: M<StartInput, { id: string; number: number; version: number; targets: number; warnings: string[] }>;
    abort: M<{ runId: string; version?: number; reason: string }, unknown>;
    report: Q<{ runId: string; format: 'json' | 'markdown' }, unknown>;
  };
}

export const EXPERIMENTS_KEY = [['experiments']] as const;
const key = (path: string[], input: unknown) => [path, { input, type: 'query' }] as const;

function useRunsClient(): RunsClient {
  return useTRPCClient() as unknown as RunsClient;
}

export function useTemplates() {
  const trpc = useTRPC();
  return useQuery(trpc.experiments.templates.queryOptions(undefined, { staleTime: 60_000 }));
}

export function useExperimentList(input: RouterInputs['experiments']['list']) {
  const trpc = useTRPC();
  return useQuery(trpc.experiments.list.queryOptions(input));
}

export function useExperiment(id: string | null) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.experiments.get.queryOptions({ id: id ?? '' }), enabled: Boolean(id) });
}

export function useSchedules(input: RouterInputs['experiments']['schedules']['list'], enabled = true) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.experiments.schedules.list.queryOptions(input), enabled });
}

export function useRunList(input: RunsListInput) {
  const c = useRunsClient();
  return useQuery({
    queryKey: key(['experiments', 'runs', 'list'], input),
    queryFn: async () => {
      const r = await c.experiments.runs.list.query(input);
      return Array.isArray(r) ? r : r.runs;
    },
  });
}

export const runKey = (runId: string) => key(['experiments', 'runs', 'get'], { runId });

export function useRun(runId: string) {
  const c = useRunsClient();
  return useQuery({ queryKey: runKey(runId), queryFn: () => c.experiments.runs.get.query({ runId }) });
}

export function useReportExport() {
  const c = useRunsClient();
  return useMutation({ mutationFn: (v: { runId: string; format: 'json' | 'markdown' }) => c.experiments.report.query(v) });
}

/** Refetches every cached experiments answer (after a command; the live feed does it for others' changes). */
export function useInvalidateExperiments() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: EXPERIMENTS_KEY });
}

export function useExperimentCommands() {
  const trpc = useTRPC();
  const c = useRunsClient();
  const invalidate = useInvalidateExperiments();
  const after = { onSettled: () => void invalidate() };
  return {
    create: useMutation(trpc.experiments.create.mutationOptions(after)),
    update: useMutation(trpc.experiments.update.mutationOptions(after)),
    archive: useMutation(trpc.experiments.archive.mutationOptions(after)),
    start: useMutation({ mutationFn: (d: StartInput) => c.experiments.start.mutate(d), ...after }),
    abort: useMutation({ mutationFn: (d: { runId: string; version?: number; reason: string }) => c.experiments.abort.mutate(d), ...after }),
  };
}

export function usePreviewMutation() {
  const trpc = useTRPC();
  return useMutation(trpc.experiments.preview.mutationOptions());
}
