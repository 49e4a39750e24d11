'use client';

import { useDisplayZone } from '@/components/ui/display-zone';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { formatDateTime } from '@/components/ui/format-time';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import { useSessionUser } from '@/components/shell/session-user';
import { HaltControl } from './halt-control';
import { HALT_EFFECTS, canEngageHalt, clearDuration } from './halt-words';
import { useHaltHistory, useSafetyStatus } from './use-safety';
import styles from './safety.module.css';

/** Halt-all on the Safety page: whether it is engaged, the lever again, and every halt so far. */
export function HaltSection() {
  const me = useSessionUser();
  const zone = useDisplayZone();
  const status = useSafetyStatus();
  const history = useHaltHistory();
  const engaged = status.data?.halt;
  return (
    <section aria-labelledby="halt-heading" className={styles.section}>
      <div className={styles.sectionHead}>
        <h2 id="halt-heading">Halt-all</h2>
        <HaltControl />
      </div>
      {status.isError ? (
        <ErrorText error={status.error} />
      ) : !status.data ? (
        <Loading what="the halt state" />
      ) : engaged ? (
        <p>Engaged now: see the banner above. {canEngageHalt(me.role) ? '' : 'Operators engage it; approvers release it.'}</p>
      ) : (
        <>
          <p>Not engaged. {canEngageHalt(me.role) ? 'Halt all… (here or in the header of every page) does this at once:' : 'Any operator can engage it from the header of every page; it does this at once:'}</p>
          <ul className={styles.effects}>
            {HALT_EFFECTS.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Halt history</h3>
      {history.isPending ? (
        <Loading what="the halt history" />
      ) : history.isError ? (
        <ErrorText error={history.error} />
      ) : history.data.length === 0 ? (
        <EmptyState title="Never engaged">Every halt will be listed here with who engaged and released it, and how long removing the faults took.</EmptyState>
      ) : (
        <Table label="Halt history">
          <thead>
            <tr>
              <th scope="col">Engaged</th>
              <th scope="col">Reason</th>
              <th scope="col">Faults removed</th>
              <th scope="col">Released</th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((h) => (
              <tr key={h.id}>
                <td>
                  {formatDateTime(h.engagedAt, zone)}
                  <div className="muted">by {h.engagedByName}</div>
                </td>
                <td>{h.reason}</td>
                <td>{h.faultsClearedAt ? `${formatDateTime(h.faultsClearedAt, zone)} (${clearDuration(h.engagedAt, h.faultsClearedAt)})` : h.releasedAt ? '—' : 'still being removed'}</td>
                <td>
                  {h.releasedAt ? (
                    <>
                      {formatDateTime(h.releasedAt, zone)}
                      <div className="muted">
                        by {h.releasedByName}: {h.releaseReason}
                      </div>
                    </>
                  ) : (
                    <strong>Engaged</strong>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
