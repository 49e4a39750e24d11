import type { ReactNode } from 'react';
import { errorMessage } from '@/components/trpc/errors';
import styles from './ui.module.css';

/** An error in words, announced at once; `action` is e.g. a Reload or Try again button. */
export function ErrorText({ error, action }: { error: unknown; action?: ReactNode }) {
  if (!error) return null;
  return (
    <div className={styles.error} role="alert">
      <span>{errorMessage(error)}</span>
      {action}
    </div>
  );
}

/** A success message, announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className={styles.notice} role="status">
      {children}
    </div>
  );
}
