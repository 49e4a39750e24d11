import type { ReactNode } from 'react';
import styles from './ui.module.css';

/** Says what is missing and what to do about it, instead of an empty table. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className={styles.empty}>
      <h3>{title}</h3>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}
