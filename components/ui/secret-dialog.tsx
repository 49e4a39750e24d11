'use client';

import { useState, type ReactNode } from 'react';
import { Button } from './button';
import { Dialog, DialogActions } from './dialog';
import styles from './ui.module.css';

interface SecretDialogProps {
  title: string;
  intro: string;
  secret: string | null;
  onClose: () => void;
  /** What the secret is, in the labels: "password" (default) or "token". */
  what?: string;
  /** Shown under the secret, e.g. how to use it. */
  children?: ReactNode;
}

/**
 * Shows a generated secret (a password, an API token) exactly once. The server never returns it
 * again, so closing the dialog forgets it (the caller drops it from state in onClose).
 */
export function SecretDialog({ title, intro, secret, onClose, what = 'password', children }: SecretDialogProps) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // Clipboard needs a secure context and permission; selecting by hand always works.
      setCopied('failed');
    }
  }

  return (
    <Dialog
      open={secret !== null}
      title={title}
      onClose={() => {
        setCopied(null);
        onClose();
      }}
    >
      <p>{intro}</p>
      <div className={styles.secret}>
        <code aria-label={`Generated ${what}`} data-testid={`generated-${what}`}>{secret}</code>
        <Button onClick={() => void copy()}>Copy {what}</Button>
      </div>
      <p role="status" className={styles.hint}>
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? `Could not copy: select the ${what} and copy it by hand.` : 'It is shown only this once.'}
      </p>
      {children}
      <DialogActions>
        <Button
          variant="primary"
          onClick={() => {
            setCopied(null);
            onClose();
          }}
        >
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
