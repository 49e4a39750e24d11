import { auditDiff } from './diff';
import styles from './audit.module.css';

/** before → after, only the changed fields; screen readers hear "was … now …". */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const lines = auditDiff(before, after);
  if (!lines.length) return <span className="muted">—</span>;
  return (
    <ul className={styles.diff}>
      {lines.map((l) => (
        <li key={l.key}>
          <span className={styles.diffKey}>{l.key}:</span>{' '}
          {l.before !== undefined ? (
            <>
              <span className="visually-hidden">was</span>
              <del className={styles.before}>{l.before}</del>
            </>
          ) : null}
          {l.before !== undefined && l.after !== undefined ? <span aria-hidden="true"> → </span> : null}
          {l.after !== undefined ? (
            <>
              <span className="visually-hidden">{l.before !== undefined ? 'now' : 'set to'}</span>
              <ins className={styles.after} style={{ textDecoration: 'none' }}>
                {l.after}
              </ins>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
