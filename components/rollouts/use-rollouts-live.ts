'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '@/components/trpc/client';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';
import type { RolloutDetail, RolloutRow } from './contract';
import { mergeRolloutChange } from './live-merge';

/**
 * Rollout changes as they commit (rollouts.onChange): the new state goes into every cached fleet
 * table and rollout at once; the console's live feed refetches the rest (reasons, steps, verdicts).
 */
export function useRolloutsLive(): boolean {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const sub = useSubscription(
    trpc.rollouts.onChange.subscriptionOptions(undefined, {
      onData: (tracked) => {
        const change = tracked.data;
        qc.setQueriesData<RolloutRow[]>({ queryKey: trpc.rollouts.list.pathKey() }, (rows) => (rows ? mergeRolloutChange(rows, change) : rows));
        qc.setQueryData<RolloutDetail>(trpc.rollouts.get.queryKey({ id: change.id }), (row) => (row ? mergeRolloutChange([row], change)[0] : row));
        void qc.invalidateQueries({ queryKey: trpc.rollouts.pendingApprovals.queryKey() });
      },
    }),
  );
  useResubscribeOnError(sub);
  return sub.status === 'pending';
}
