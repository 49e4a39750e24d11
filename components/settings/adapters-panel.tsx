'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';

/** Which platform the worker drives, what that platform can do, and the simulator's live controls. */
export function AdaptersPanel({ canOperate }: { canOperate: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const adapters = useQuery(trpc.system.adapters.queryOptions());
  const sim = useQuery(trpc.sim.status.queryOptions(undefined, { refetchInterval: 5000 }));
  const clear = useMutation(trpc.sim.clear.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.sim.status.queryKey() }) }));
  if (adapters.isPending) return <Loading what="platform adapters" />;
  if (adapters.isError) return <ErrorText error={adapters.error} />;
  if (!adapters.data.length) {
    return <EmptyState title="No adapter configured">The worker drives the built-in simulator with its defaults until an adapter is configured.</EmptyState>;
  }
  const controls = sim.data?.controls;
  const active = (controls?.demand.length ?? 0) + (controls?.stress.length ?? 0);
  return (
    <>
      <Table label="Platform adapters">
        <thead>
          <tr>
            <th scope="col">Adapter</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col">Measures</th>
            <th scope="col">Faults it can inject</th>
          </tr>
        </thead>
        <tbody>
          {adapters.data.map((a) => (
            <tr key={a.id}>
              <th scope="row">{a.name}</th>
              <td>{a.kind === 'sim' ? 'built-in simulator' : a.kind}</td>
              <td>{a.active ? <Badge tone="success">active</Badge> : <Badge>standby</Badge>}</td>
              <td>{a.capabilities ? a.capabilities.measures.join(', ') : <span className="muted">{a.problem}</span>}</td>
              <td>{a.capabilities ? a.capabilities.faults.join(', ') || 'none' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {sim.data?.available ? (
        <p aria-label="Simulator controls">
          Simulator controls: {active === 0 ? 'none active.' : `${controls!.demand.length} demand change(s), ${controls!.stress.length} stressed instance(s), each ending by itself at its expiry.`}{' '}
          {canOperate && active > 0 ? (
            <Button size="small" busy={clear.isPending} onClick={() => clear.mutate({})}>
              End all now
            </Button>
          ) : null}
        </p>
      ) : null}
    </>
  );
}
