'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import uiStyles from '@/components/ui/ui.module.css';
import { VERIFY_SNIPPET } from './verify-snippet';
import styles from './webhooks.module.css';

/**
 * A subscription's signing secret, shown exactly once (after create or rotate): the server never
 * returns it again, so closing the dialog forgets it. Says how the receiver verifies deliveries.
 */
export function WebhookSecretDialog({ shown, onClose }: { shown: { name: string; secret: string } | null; onClose: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  async function copy() {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  const close = () => {
    setCopied(null);
    onClose();
  };
  return (
    <Dialog open={shown !== null} title={shown ? `Signing secret of “${shown.name}”` : 'Signing secret'} onClose={close} size="wide">
      <p>Give this secret to the receiver. Every delivery carries a header it uses to check that the body came from Switchback and was not altered or replayed.</p>
      <div className={uiStyles.secret}>
        <code aria-label="Signing secret" data-testid="webhook-secret">
          {shown?.secret}
        </code>
        <Button onClick={() => void copy()}>Copy secret</Button>
      </div>
      <p role="status" className={uiStyles.hint}>
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not copy: select the secret and copy it by hand.' : 'It is shown only this once; rotate it to get a new one.'}
      </p>
      <h3>How the receiver verifies a delivery</h3>
      <p>
        The header <code>Switchback-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code> holds HMAC-SHA256 of <code>&lt;t&gt;.&lt;raw body&gt;</code> keyed with this secret. Refuse a
        delivery whose <code>t</code> is more than 5 minutes from now, or whose HMAC differs. In Node:
      </p>
      <pre className={styles.snippet}>{VERIFY_SNIPPET}</pre>
      <DialogActions>
        <Button variant="primary" onClick={close}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
