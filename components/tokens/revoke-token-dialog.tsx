'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import { REVOKE_REASON_MAX } from './token-expiry';
import type { TokenRow } from './tokens-table';
import styles from './tokens.module.css';

/** Revoking is final (a revoked token never works again), so it is confirmed, with an optional reason. */
export function RevokeTokenDialog({ token, onClose, onRevoked }: { token: TokenRow | null; onClose: () => void; onRevoked: (name: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: async (row) => {
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.listAll.queryKey() });
        setReason('');
        revoke.reset();
        onRevoked(row.name);
      },
    }),
  );
  const fields = useFieldErrors(revoke.error);
  const close = () => {
    setReason('');
    revoke.reset();
    onClose();
  };
  const owner = token && 'owner' in token && token.owner ? ` of ${token.owner.name}` : '';
  return (
    <ConfirmDialog
      open={token !== null}
      title={token ? `Revoke the token "${token.name}"${owner}?` : 'Revoke token'}
      confirmLabel="Revoke token"
      busyLabel="Revoking…"
      destructive
      busy={revoke.isPending}
      error={revoke.error && !fields.any ? revoke.error : null}
      onCancel={close}
      onConfirm={() => token && revoke.mutate({ id: token.id, ...(reason.trim() ? { reason: reason.trim() } : {}) })}
    >
      <p>Scripts using it get 401 from their next request on. This cannot be undone: create a new token to replace it.</p>
      <Field label="Reason (optional)" hint="Kept in the audit log with your name" error={fields.of('reason')} maxLength={REVOKE_REASON_MAX} length={reason.length}>
        {(p) => <textarea {...p} className={`${p.className ?? ''} ${styles.input}`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
    </ConfirmDialog>
  );
}
