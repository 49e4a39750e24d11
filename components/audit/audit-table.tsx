import type { RouterOutputs } from '@/components/trpc/client';
import { Table } from '@/components/ui/table';
import { AuditDiff } from './audit-diff';
import styles from './audit.module.css';
import { viaWords } from './via';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatDateTime } from '@/components/ui/format-time';

type AuditRow = RouterOutputs['audit']['list']['items'][number];

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  const zone = useDisplayZone();
  return (
    <Table label="Audit events">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Actor</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">Before → after</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className={styles.time}>
              <time dateTime={r.at.toISOString()}>
                {formatDateTime(r.at, zone)}
              </time>
            </td>
            <td>
              {r.actorName}
              {r.via ? <span className={styles.via}> {viaWords(r.via)}</span> : null}
            </td>
            <td className={styles.action}>{r.action}</td>
            <td>
              <span className={styles.target}>{r.targetName || r.targetId}</span>
              <span className={styles.targetType}>{r.targetType}</span>
            </td>
            <td className={styles.diffCell}>
              <AuditDiff before={r.before} after={r.after} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
