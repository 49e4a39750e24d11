'use client';

import type { ReactNode } from 'react';
import { Button } from './button';
import { Dialog, DialogActions } from './dialog';
import { ErrorText } from './error-text';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  destructive?: boolean;
  busy?: boolean;
  error?: unknown;
  /** Shown next to the error, e.g. "Reload" after a conflict. */
  errorAction?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, busyLabel, destructive, busy, error, errorAction, onConfirm, onCancel } = props;
  return (
    <Dialog open={open} title={title} onClose={onCancel} dismissible={!busy}>
      <div>{children}</div>
      {error ? <ErrorText error={error} action={errorAction} /> : null}
      <DialogActions>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button variant={destructive ? 'danger' : 'primary'} onClick={onConfirm} busy={busy} busyLabel={busyLabel ?? 'Working…'} autoFocus={!destructive}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
