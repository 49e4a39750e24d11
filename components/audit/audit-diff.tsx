import { auditDiff, wholeRecord } from './diff';
import styles from './audit.module.css';

/** Lines shown before the rest is folded into "n more"; the whole record is one click away. */
const SHOWN = 8;

/** before → after, only the changed fields by path; screen readers hear "was … now …". */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const lines = auditDiff(before, after);
  if (!lines.length) return <span className="muted">—</span>;
  const hidden = lines.length - SHOWN;
  return (
    <>
      <ul className={styles.diff}>
        {lines.slice(0, SHOWN).map((l) => (
          <li key={l.path}>
            <span className={styles.diffKey}>{l.path}:</span>{' '}
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
                <ins className={styles.after}>{l.after}</ins>
              </>
            ) : null}
          </li>
        ))}
        {hidden > 0 ? (
          <li className="muted">
            and {hidden} more change{hidden === 1 ? '' : 's'}
          </li>
        ) : null}
      </ul>
      <details className={styles.whole}>
        <summary>Whole record</summary>
        <div className={styles.wholeDocs}>
          {before !== null && before !== undefined ? (
            <div>
              <p className={styles.wholeLabel}>Before</p>
              <pre className={styles.doc} tabIndex={0} aria-label="The record before">{wholeRecord(before)}</pre>
            </div>
          ) : null}
          {after !== null && after !== undefined ? (
            <div>
              <p className={styles.wholeLabel}>After</p>
              <pre className={styles.doc} tabIndex={0} aria-label="The record after">{wholeRecord(after)}</pre>
            </div>
          ) : null}
        </div>
      </details>
    </>
  );
}
