'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';
import styles from './ui.module.css';

interface DialogProps {
  open: boolean;
  title: string;
  /** Called for Escape and for the caller's own Cancel button; the caller owns `open`. */
  onClose: () => void;
  children: ReactNode;
  /** Block Escape while a request is in flight, so the result is not lost. */
  dismissible?: boolean;
  /** `wide` for editors with long content (a JSON configuration, a table of results). */
  size?: 'normal' | 'wide';
}

/** A modal on the native <dialog>: focus trap, Escape and the top layer come from the browser. */
export function Dialog({ open, title, onClose, children, dismissible = true, size = 'normal' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={size === 'wide' ? `${styles.dialog} ${styles.dialogWide}` : styles.dialog}
      aria-labelledby={titleId}
      onCancel={(e) => {
        // The browser would close the element itself; keep React's `open` the single truth.
        e.preventDefault();
        if (dismissible) onClose();
      }}
    >
      {open ? (
        <div className={styles.dialogBody}>
          <h2 id={titleId} className={styles.dialogTitle}>
            {title}
          </h2>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

/** The dialog's buttons: they stay in view at the bottom while a long body scrolls under them. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className={styles.dialogActions}>{children}</div>;
}
