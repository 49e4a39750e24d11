'use client';

import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { useFieldErrors } from '@/components/ui/use-field-errors';

/** The longest reason the safety commands take (the server's text bound for reasons). */
export const REASON_MAX = 2000;

interface Props {
  open: boolean;
  title: string;
  confirmLabel: string;
  busyLabel: string;
  destructive?: boolean;
  busy: boolean;
  error: unknown;
  /** What will happen, said before anyone confirms. */
  children: ReactNode;
  reasonHint: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

/**
 * A confirmation that will not go without a reason: the reason is checked here first (said under
 * the field), then by the server (its field error lands in the same place).
 */
export function ReasonDialog({ open, title, confirmLabel, busyLabel, destructive, busy, error, children, reasonHint, onConfirm, onCancel }: Props) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const fields = useFieldErrors(error);
  const missing = touched && reason.trim() === '';
  const close = () => {
    setReason('');
    setTouched(false);
    onCancel();
  };
  return (
    <ConfirmDialog
      open={open}
      title={title}
      confirmLabel={confirmLabel}
      busyLabel={busyLabel}
      destructive={destructive}
      busy={busy}
      error={fields.of('reason') ? null : error}
      onConfirm={() => {
        setTouched(true);
        if (reason.trim() !== '') onConfirm(reason.trim());
      }}
      onCancel={close}
    >
      {children}
      <Field label="Reason" hint={reasonHint} error={missing ? 'Give a reason: it is shown to everyone and kept in the audit.' : fields.of('reason')} maxLength={REASON_MAX} length={reason.length}>
        {(c) => <textarea {...c} rows={3} required value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
    </ConfirmDialog>
  );
}
