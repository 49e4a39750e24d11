'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Table } from '@/components/ui/table';
import { DiffTable } from './diff-table';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatDateTime } from '@/components/ui/format-time';

interface Version {
  version: number;
  authorName: string;
  message: string;
  rollbackOf: number | null;
  createdAt: Date | string;
}

/** History: who published what and when; a diff between any two versions; roll back (admin). */
export function VersionsPanel(props: { kind: string; scope: string; versions: Version[]; currentVersion: number; isAdmin: boolean; onRolledBack: () => void }) {
  const zone = useDisplayZone();
  const { kind, scope, versions, currentVersion, isAdmin } = props;
  const trpc = useTRPC();
  const [a, setA] = useState<number | null>(versions[1]?.version ?? null);
  const [b, setB] = useState<number | null>(versions[0]?.version ?? null);
  // The version the admin saw when choosing to roll back: a newer one arriving meanwhile is a conflict, not overwritten.
  const [rollTo, setRollTo] = useState<{ to: number; expected: number } | null>(null);
  const ref = { kind: kind as 'weight', scope };
  const diff = useQuery({ ...trpc.policies.diff.queryOptions({ ...ref, a: a ?? 1, b: b ?? 1 }), enabled: a !== null && b !== null && a !== b });
  const rollback = useMutation(trpc.policies.rollback.mutationOptions({ onSuccess: () => (setRollTo(null), props.onRolledBack()) }));
  if (versions.length === 0) return <p className="muted">No versions yet: publishing creates version 1 of this override.</p>;
  return (
    <section aria-label="Versions">
      <h3>History</h3>
      <Table label="Policy versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Message</th>
            <th scope="col">Compare</th>
            {isAdmin ? <th scope="col">Roll back</th> : null}
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">
                v{v.version}
                {v.version === currentVersion ? ' (current)' : ''}
              </th>
              <td>{formatDateTime(v.createdAt, zone)}</td>
              <td>{v.authorName}</td>
              <td>
                {v.message}
                {v.rollbackOf ? ` (rollback to v${v.rollbackOf})` : ''}
              </td>
              <td>
                <label>
                  <input type="radio" name="diff-a" checked={a === v.version} onChange={() => setA(v.version)} aria-label={`Compare from v${v.version}`} /> from
                </label>{' '}
                <label>
                  <input type="radio" name="diff-b" checked={b === v.version} onChange={() => setB(v.version)} aria-label={`Compare to v${v.version}`} /> to
                </label>
              </td>
              {isAdmin ? (
                <td>
                  {v.version !== currentVersion ? (
                    <Button size="small" onClick={() => setRollTo({ to: v.version, expected: currentVersion })}>
                      Roll back to v{v.version}…
                    </Button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
      {a !== null && b !== null && a !== b ? (
        diff.isError ? <ErrorText error={diff.error} /> : diff.data ? <DiffTable lines={diff.data} label={`Differences v${a} → v${b}`} /> : null
      ) : (
        <p className="muted">Pick two versions to compare.</p>
      )}
      <ConfirmDialog
        open={rollTo !== null}
        title={`Roll back to v${rollTo?.to ?? ''}?`}
        confirmLabel="Roll back"
        busyLabel="Rolling back…"
        busy={rollback.isPending}
        error={rollback.error}
        onCancel={() => (setRollTo(null), rollback.reset())}
        onConfirm={() => rollTo !== null && rollback.mutate({ ...ref, toVersion: rollTo.to, expectedVersion: rollTo.expected, message: `Roll back to version ${rollTo.to}` })}
      >
        This publishes version {(rollTo?.expected ?? currentVersion) + 1} with the document of v{rollTo?.to}; nothing is deleted, and the worker applies it on its next tick.
      </ConfirmDialog>
    </section>
  );
}
