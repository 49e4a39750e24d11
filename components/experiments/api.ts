'use client';

// Every call the experiments pages make to the server, in one place: the pages read hooks, never
// paths. Commands invalidate everything under `experiments`; the live feed (experiment.changed)
// does the same for other people's changes and the run controller's moves.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC, type RouterInputs } from '@/components/trpc/client';

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

export function useRunList(input: RouterInputs['experiments']['runs']['list']) {
  const trpc = useTRPC();
  return useQuery(trpc.experiments.runs.list.queryOptions(input));
}

export function useRun(runId: string) {
  const trpc = useTRPC();
  return useQuery(trpc.experiments.runs.get.queryOptions({ runId }));
}

/** The stored report (once the observation window is over). */
export function useRunReport(runId: string, enabled: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.experiments.report.queryOptions({ runId, format: 'json' }), enabled, staleTime: Infinity });
}

export function useReportMarkdown() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return useMutation({ mutationFn: (runId: string) => qc.fetchQuery(trpc.experiments.report.queryOptions({ runId, format: 'markdown' }, { staleTime: 0 })) });
}

/** Keys the pages refetch on a tick (target health and condition values move without an event). */
export function useExperimentKeys() {
  const trpc = useTRPC();
  return { all: trpc.experiments.pathKey(), runs: trpc.experiments.runs.pathKey(), run: (runId: string) => trpc.experiments.runs.get.queryKey({ runId }) };
}

export function useExperimentCommands() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const after = { onSettled: () => void qc.invalidateQueries({ queryKey: trpc.experiments.pathKey() }) };
  return {
    create: useMutation(trpc.experiments.create.mutationOptions(after)),
    update: useMutation(trpc.experiments.update.mutationOptions(after)),
    archive: useMutation(trpc.experiments.archive.mutationOptions(after)),
    start: useMutation(trpc.experiments.start.mutationOptions(after)),
    abort: useMutation(trpc.experiments.abort.mutationOptions(after)),
  };
}

export function usePreviewMutation() {
  const trpc = useTRPC();
  return useMutation(trpc.experiments.preview.mutationOptions());
}
