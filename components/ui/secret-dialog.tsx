'use client';

import { useState } from 'react';
import { Button } from './button';
import { Dialog, DialogActions } from './dialog';
import styles from './ui.module.css';

/**
 * Shows a generated password exactly once. The server never returns it again, so closing the
 * dialog forgets it (the caller drops it from state in onClose).
 */
export function SecretDialog({ title, intro, secret, onClose }: { title: string; intro: string; secret: string | null; onClose: () => void }) {
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
        <code aria-label="Generated password" data-testid="generated-password">{secret}</code>
        <Button onClick={() => void copy()}>Copy password</Button>
      </div>
      <p role="status" className={styles.hint}>
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not copy: select the password and copy it by hand.' : 'It is shown only this once.'}
      </p>
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
