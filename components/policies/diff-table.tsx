import { Table } from '@/components/ui/table';
import styles from './policies.module.css';

export interface DiffLine {
  path: string;
  before: unknown;
  after: unknown;
}

const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The form's label for a field; the path (as code) for fields the form has no label for. */
function fieldName(path: string, labelOf?: (path: string) => string) {
  const label = labelOf?.(path);
  return label && label !== path ? <span title={path}>{label}</span> : <code>{path}</code>;
}

/** Field-by-field differences, old value struck through, new value beside it. */
export function DiffTable({ lines, label, labelOf }: { lines: readonly DiffLine[]; label: string; labelOf?: (path: string) => string }) {
  if (lines.length === 0) return <p className="muted">No differences.</p>;
  return (
    <Table label={label}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.path}>
            <th scope="row">{fieldName(l.path, labelOf)}</th>
            <td className={styles.diffBefore}>{show(l.before)}</td>
            <td className={styles.diffAfter}>{show(l.after)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
