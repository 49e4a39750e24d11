import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import styles from './ui.module.css';

/** A scrollable, bordered table; `label` names it for screen readers when there is no caption. */
export function Table({ label, caption, children }: { label?: string; caption?: string; children: ReactNode }) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} aria-label={caption ? undefined : label}>
        {caption ? <caption>{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

/** Numeric cells align right with tabular figures. */
export function Num({ children, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td {...rest} className={styles.num}>
      {children}
    </td>
  );
}

export function NumHead({ children, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th {...rest} className={styles.num}>
      {children}
    </th>
  );
}
