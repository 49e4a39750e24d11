'use client';

// Every call the safety console makes to the server, in one place: the components read hooks,
// never paths. The live feed's `safety.changed` invalidates ['safety'] (components/live/apply-event.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';

/** While a halt's faults are still being removed the banner counts them down; afterwards it is still. */
const REMOVING_POLL_MS = 2_000;
/** The live feed (`safety.changed`) refreshes the status at once; this only covers a lost event. */
const IDLE_POLL_MS = 60_000;

/**
 * The halt and the active freeze windows, shared by the header control, the banner on every page
 * and the Safety page (one query: one request per tab).
 */
export function useSafetyStatus() {
  const trpc = useTRPC();
  return useQuery(
    trpc.safety.status.queryOptions(undefined, {
      refetchInterval: (q) => (q.state.data?.halt && !q.state.data.halt.faultsClearedAt ? REMOVING_POLL_MS : IDLE_POLL_MS),
      staleTime: 0,
    }),
  );
}

export function useHaltHistory(limit = 20) {
  const trpc = useTRPC();
  return useQuery(trpc.safety.halts.queryOptions({ limit }));
}

export function useFreezeWindows() {
  const trpc = useTRPC();
  return useQuery(trpc.safety.freezes.list.queryOptions());
}

export function useLimits() {
  const trpc = useTRPC();
  return useQuery(trpc.safety.limits.get.queryOptions());
}

/** After a command: everything a halt or a window changes (rollouts pause, runs stop, the timeline). */
function useRefreshAfter() {
  const qc = useQueryClient();
  return () => {
    for (const root of ['safety', 'rollouts', 'experiments', 'timeline', 'machines']) void qc.invalidateQueries({ queryKey: [[root]] });
  };
}

export function useHaltCommands() {
  const trpc = useTRPC();
  const onSettled = useRefreshAfter();
  return {
    engage: useMutation(trpc.safety.haltEngage.mutationOptions({ onSettled })),
    release: useMutation(trpc.safety.haltRelease.mutationOptions({ onSettled })),
  };
}

export function useFreezeCommands() {
  const trpc = useTRPC();
  const onSettled = useRefreshAfter();
  return {
    create: useMutation(trpc.safety.freezes.create.mutationOptions({ onSettled })),
    update: useMutation(trpc.safety.freezes.update.mutationOptions({ onSettled })),
    remove: useMutation(trpc.safety.freezes.remove.mutationOptions({ onSettled })),
  };
}

export function useSetLimits() {
  const trpc = useTRPC();
  return useMutation(trpc.safety.limits.set.mutationOptions({ onSettled: useRefreshAfter() }));
}
