'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import { AdapterEditor, type AdapterDraft } from './adapter-editor';
import { SimVersionsPanel } from './sim-versions-panel';

interface Row {
  id: string;
  name: string;
  kind: string;
  version: number;
  active: boolean;
}

/** Which platform the worker drives, what that platform can do, and the simulator's live controls. */
export function AdaptersPanel({ canOperate, isAdmin }: { canOperate: boolean; isAdmin: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const adapters = useQuery(trpc.system.adapters.queryOptions());
  const sim = useQuery(trpc.sim.status.queryOptions(undefined, { refetchInterval: 5000 }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.system.adapters.queryKey() });
  const clear = useMutation(trpc.sim.clear.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.sim.status.queryKey() }) }));
  const [draft, setDraft] = useState<AdapterDraft | null>(null);
  const [switching, setSwitching] = useState<Row | null>(null);
  const activate = useMutation(trpc.platform.activate.mutationOptions({ onSuccess: async () => (await refresh(), setSwitching(null)) }));
  const importTopo = useMutation(trpc.platform.importTopology.mutationOptions());
  if (adapters.isPending) return <Loading what="platform adapters" />;
  if (adapters.isError) return <ErrorText error={adapters.error} />;
  const controls = sim.data?.controls;
  const activeControls = (controls?.demand.length ?? 0) + (controls?.stress.length ?? 0);
  const current = adapters.data.find((a) => a.active);
  const newButton = isAdmin ? (
    <Button onClick={() => setDraft({ name: '', kind: 'haproxy', config: undefined })}>New adapter…</Button>
  ) : null;
  return (
    <>
      {adapters.data.length === 0 ? (
        <EmptyState title="No adapter configured" action={newButton}>
          The worker drives the built-in simulator with its defaults until an adapter is configured. To drive HAProxy, run <code>npm run lab</code> for a local one or add yours here.
        </EmptyState>
      ) : (
        <Table label="Platform adapters">
          <thead>
            <tr>
              <th scope="col">Adapter</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Measures</th>
              <th scope="col">Faults it can inject</th>
              {isAdmin ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {adapters.data.map((a) => {
              const approx = Object.entries(a.capabilities?.approximations ?? {});
              return (
                <tr key={a.id}>
                  <th scope="row">{a.name}</th>
                  <td>{a.kind === 'sim' ? 'built-in simulator' : a.kind}</td>
                  <td>{a.active ? <Badge tone="success">active</Badge> : <Badge>standby</Badge>}</td>
                  <td>
                    {a.capabilities ? a.capabilities.measures.join(', ') : <span className="muted">{a.problem}</span>}
                    {approx.length > 0 ? (
                      <ul aria-label={`Approximations of ${a.name}`} className="muted">
                        {approx.map(([m, why]) => (
                          <li key={m}>
                            {m} is approximate: {why}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                  <td>{a.capabilities ? a.capabilities.faults.join(', ') || 'none' : '—'}</td>
                  {isAdmin ? (
                    <td>
                      <Button size="small" onClick={() => setDraft({ id: a.id, version: a.version, name: a.name, kind: a.kind === 'haproxy' ? 'haproxy' : 'sim', config: a.config })} aria-label={`Edit ${a.name}`}>
                        Edit
                      </Button>{' '}
                      {a.active ? null : (
                        <Button size="small" onClick={() => setSwitching(a)} aria-label={`Activate ${a.name}`}>
                          Activate…
                        </Button>
                      )}{' '}
                      {a.kind !== 'sim' ? (
                        <Button size="small" busy={importTopo.isPending && importTopo.variables.id === a.id} busyLabel="Importing…" onClick={() => importTopo.mutate({ id: a.id })} aria-label={`Import the topology of ${a.name}`}>
                          Import topology
                        </Button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      {adapters.data.length > 0 && newButton ? <p>{newButton}</p> : null}
      {importTopo.data ? (
        <p role="status">
          Registry updated: {importTopo.data.services} service(s) and {importTopo.data.instances} instance(s) added, {importTopo.data.updated} updated.
        </p>
      ) : null}
      {importTopo.error ? <ErrorText error={importTopo.error} /> : null}
      {sim.data?.available ? (
        <p aria-label="Simulator controls">
          Simulator controls: {activeControls === 0 ? 'none active.' : `${controls!.demand.length} demand change(s), ${controls!.stress.length} stressed instance(s), each ending by itself at its expiry.`}{' '}
          {canOperate && activeControls > 0 ? (
            <Button size="small" busy={clear.isPending} onClick={() => clear.mutate({})}>
              End all now
            </Button>
          ) : null}
        </p>
      ) : null}
      {sim.data?.available ? <SimVersionsPanel versions={controls?.versions ?? []} canOperate={canOperate} /> : null}
      <AdapterEditor draft={draft} onClose={() => setDraft(null)} />
      <ConfirmDialog
        open={switching !== null}
        title={`Drive “${switching?.name ?? ''}”?`}
        confirmLabel="Switch platform"
        busyLabel="Switching…"
        busy={activate.isPending}
        error={activate.error}
        onCancel={() => (setSwitching(null), activate.reset())}
        onConfirm={() => switching && activate.mutate({ id: switching.id, version: switching.version })}
      >
        The telemetry leader stops driving {current ? `“${current.name}”` : 'the current platform'} and starts applying weights and routing to “{switching?.name}” within a tick. Instances that platform does not
        show stop receiving samples. You can switch back the same way; the change is audited.
      </ConfirmDialog>
    </>
  );
}
