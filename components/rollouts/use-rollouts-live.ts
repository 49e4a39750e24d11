'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '@/components/trpc/client';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';
import { invalidateForRolloutChange } from './live-merge';

/**
 * Rollout changes as they commit (rollouts.onChange): every cached fleet table and the changed
 * rollout are refetched (never patched from the event: see live-merge.ts), with the approvals badge.
 */
export function useRolloutsLive(): boolean {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const sub = useSubscription(
    trpc.rollouts.onChange.subscriptionOptions(undefined, {
      onData: (tracked) => {
        void invalidateForRolloutChange(qc, { list: trpc.rollouts.list.pathKey(), get: (id) => trpc.rollouts.get.queryKey({ id }) }, tracked.data);
        void qc.invalidateQueries({ queryKey: trpc.rollouts.pendingApprovals.queryKey() });
      },
    }),
  );
  useResubscribeOnError(sub);
  return sub.status === 'pending';
}
