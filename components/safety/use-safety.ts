'use client';

// Every call the safety console makes to the server, in one place: the pages read hooks, never
// paths. Query keys have the tRPC shape ([[router, procedure], {input, type}]), so the live
// feed's invalidation of ['safety'] (components/live/apply-event.ts) refreshes every answer.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPCClient } from '@/components/trpc/client';
import type { FreezeInput } from './freeze-draft';
import type { FreezeWindowRow, HaltRow, SafetyLimits, SafetyStatus } from './contract';

type Q<I, O> = { query: (input: I) => Promise<O> };
type M<I, O> = { mutate: (input: I) => Promise<O> };

/** The procedures of the contract (COMMON.md) this console calls. */
interface SafetyClient {
  safety: {
    status: Q<void, SafetyStatus>;
    halts: Q<{ limit?: number }, HaltRow[]>;
    haltEngage: M<{ reason: string }, unknown>;
    haltRelease: M<{ reason: string }, unknown>;
    freezes: {
      list: Q<{ includePast?: boolean }, FreezeWindowRow[]>;
      create: M<FreezeInput, { id: string; version: number }>;
      update: M<FreezeInput & { id: string; version: number }, { id: string; version: number }>;
      remove: M<{ id: string; version: number }, unknown>;
    };
    limits: {
      get: Q<void, SafetyLimits>;
      set: M<{ maxBlastRadiusPct: number; version: number }, unknown>;
    };
  };
}

const key = (path: string[], input: unknown) => [path, { input, type: 'query' }] as const;
const useClient = () => useTRPCClient() as unknown as SafetyClient;

/** While a halt's faults are still being removed the banner counts them down; afterwards it is still. */
const REMOVING_POLL_MS = 2_000;
/** The live feed (`safety.changed`) refreshes the status at once; this only covers a lost event. */
const IDLE_POLL_MS = 60_000;

/**
 * The halt and the active freeze windows, shared by the header control, the banner on every page
 * and the Safety page (one query: one request per tab).
 */
export function useSafetyStatus() {
  const c = useClient();
  return useQuery({
    queryKey: key(['safety', 'status'], undefined),
    queryFn: () => c.safety.status.query(),
    refetchInterval: (q) => (q.state.data?.halt && !q.state.data.halt.faultsClearedAt ? REMOVING_POLL_MS : IDLE_POLL_MS),
    staleTime: 0,
  });
}

export function useHaltHistory(limit = 20) {
  const c = useClient();
  return useQuery({ queryKey: key(['safety', 'halts'], { limit }), queryFn: () => c.safety.halts.query({ limit }) });
}

export function useFreezeWindows() {
  const c = useClient();
  return useQuery({ queryKey: key(['safety', 'freezes', 'list'], {}), queryFn: () => c.safety.freezes.list.query({}) });
}

export function useLimits() {
  const c = useClient();
  return useQuery({ queryKey: key(['safety', 'limits', 'get'], undefined), queryFn: () => c.safety.limits.get.query() });
}

/** After a command: everything a halt or a window changes (rollouts pause, runs stop, the timeline). */
function useRefreshAfter() {
  const qc = useQueryClient();
  return () => {
    for (const root of ['safety', 'rollouts', 'experiments', 'timeline', 'machines']) void qc.invalidateQueries({ queryKey: [[root]] });
  };
}

export function useHaltCommands() {
  const c = useClient();
  const after = { onSettled: useRefreshAfter() };
  return {
    engage: useMutation({ mutationFn: (d: { reason: string }) => c.safety.haltEngage.mutate(d), ...after }),
    release: useMutation({ mutationFn: (d: { reason: string }) => c.safety.haltRelease.mutate(d), ...after }),
  };
}

export function useFreezeCommands() {
  const c = useClient();
  const after = { onSettled: useRefreshAfter() };
  return {
    create: useMutation({ mutationFn: (d: FreezeInput) => c.safety.freezes.create.mutate(d), ...after }),
    update: useMutation({ mutationFn: (d: FreezeInput & { id: string; version: number }) => c.safety.freezes.update.mutate(d), ...after }),
    remove: useMutation({ mutationFn: (d: { id: string; version: number }) => c.safety.freezes.remove.mutate(d), ...after }),
  };
}

export function useSetLimits() {
  const c = useClient();
  return useMutation({ mutationFn: (d: { maxBlastRadiusPct: number; version: number }) => c.safety.limits.set.mutate(d), onSettled: useRefreshAfter() });
}
