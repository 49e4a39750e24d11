import type { RouterOutputs } from '@/components/trpc/client';
import { Table } from '@/components/ui/table';
import { AuditDiff } from './audit-diff';
import styles from './audit.module.css';

type AuditRow = RouterOutputs['audit']['list']['items'][number];

const pad = (n: number) => String(n).padStart(2, '0');
/** Local time, sortable and unambiguous: 2025-11-22 21:05:03. */
function formatTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
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
              <time dateTime={r.at.toISOString()} title={r.at.toISOString()}>
                {formatTime(r.at)}
              </time>
            </td>
            <td>{r.actorName}</td>
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
