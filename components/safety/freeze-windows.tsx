'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useDisplayZone } from '@/components/ui/display-zone';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { formatDateTime, type Instant } from '@/components/ui/format-time';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import { useSessionUser } from '@/components/shell/session-user';
import { atLeast } from '@/components/rollouts/actions';
import type { FreezeWindowRow } from './contract';
import { appliesToWords, whenWords } from './freeze-draft';
import { FreezeForm } from './freeze-form';
import { useFreezeCommands, useFreezeWindows } from './use-safety';
import styles from './safety.module.css';

/** How many of a recurring window's next occurrences the table shows. */
const NEXT_SHOWN = 3;

/** The freeze windows, active ones first; approvers create, edit and delete (delete is confirmed). */
export function FreezeWindows() {
  const me = useSessionUser();
  const zone = useDisplayZone();
  const list = useFreezeWindows();
  const { remove } = useFreezeCommands();
  const [editing, setEditing] = useState<FreezeWindowRow | 'new' | null>(null);
  const [deleting, setDeleting] = useState<FreezeWindowRow | null>(null);
  const manage = atLeast(me.role, 'approver');
  const rows = [...(list.data ?? [])].sort((a, b) => Number(b.activeNow !== null) - Number(a.activeNow !== null));
  const end = (w: FreezeWindowRow, start: Instant) => (w.kind === 'recurring' ? new Date(new Date(start).getTime() + (w.durationMin ?? 0) * 60_000) : w.endsAt);
  return (
    <section aria-labelledby="freeze-heading" className={styles.section}>
      <div className={styles.sectionHead}>
        <h2 id="freeze-heading">Freeze windows</h2>
        {manage ? (
          <Button variant="primary" onClick={() => setEditing('new')}>
            New freeze window…
          </Button>
        ) : null}
      </div>
      <p className="muted">
        Inside a window, experiment runs and rollout traffic increases are refused (a rollout pauses as frozen) unless an approver overrides with a reason.
        {manage ? '' : ' Approvers manage the windows.'}
      </p>
      {list.isPending ? (
        <Loading what="freeze windows" />
      ) : list.isError ? (
        <ErrorText error={list.error} />
      ) : rows.length === 0 ? (
        <EmptyState title="No freeze windows">{manage ? 'Add one for a release weekend or a recurring quiet hour.' : 'None is planned.'}</EmptyState>
      ) : (
        <Table label="Freeze windows">
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">When</th>
              <th scope="col">Next</th>
              <th scope="col">Refuses</th>
              <th scope="col">Reason</th>
              {manage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((w) => (
              <tr key={w.id}>
                <th scope="row">
                  {w.name} {w.activeNow ? <Badge tone="warning">Active now</Badge> : null}
                  <div className="muted">{w.kind === 'one_off' ? 'One-off' : 'Recurring'} · by {w.createdByName}</div>
                </th>
                <td>{whenWords(w, zone)}</td>
                <td>
                  {w.activeNow ? <p className={styles.activeLine}>In force until {formatDateTime(w.activeNow.endsAt, zone)}</p> : null}
                  {w.nextStarts.length === 0 ? (
                    w.activeNow ? null : <span className="muted">No occurrence ahead</span>
                  ) : (
                    <ul className={styles.plainList} aria-label={`Next occurrences of ${w.name}`}>
                      {w.nextStarts.slice(0, NEXT_SHOWN).map((start) => (
                        <li key={String(start)}>
                          {formatDateTime(start, zone)} → {formatDateTime(end(w, start) ?? start, zone)}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{appliesToWords(w)}</td>
                <td>{w.reason}</td>
                {manage ? (
                  <td className={styles.rowActions}>
                    <Button size="small" onClick={() => setEditing(w)} aria-label={`Edit ${w.name}`}>
                      Edit
                    </Button>
                    <Button size="small" variant="danger" onClick={() => (remove.reset(), setDeleting(w))} aria-label={`Delete ${w.name}`}>
                      Delete…
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {editing ? <FreezeForm editing={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete freeze window: ${deleting?.name ?? ''}`}
        confirmLabel="Delete window"
        busyLabel="Deleting…"
        destructive
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id, version: deleting.version }, { onSuccess: () => setDeleting(null) })}
        onCancel={() => setDeleting(null)}
      >
        <p>
          {deleting?.activeNow ? 'The window is in force now: deleting it lets experiments and rollout steps go ahead at once. ' : ''}
          The window stops applying; it stays in the audit and on the timeline.
        </p>
      </ConfirmDialog>
    </section>
  );
}
