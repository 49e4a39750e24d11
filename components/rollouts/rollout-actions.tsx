'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import type { Role } from '@/server/db/generated/enums';
import { availableActions, type ActionKind, type ActionSpec } from './actions';
import type { RolloutRow } from './contract';
import styles from './rollouts.module.css';

interface Props {
  rollout: Pick<RolloutRow, 'name' | 'state' | 'pauseReason'>;
  role: Role;
  /** Runs the command; resolves when it is done (the dialog closes), rejects with the error to show. */
  run: (kind: ActionKind, reason: string | null) => Promise<unknown>;
  pending: ActionKind | null;
  error: unknown;
  resetError: () => void;
}

/** The actions this person may take now; destructive ones are confirmed, some need a reason. */
export function RolloutActions({ rollout, role, run, pending, error, resetError }: Props) {
  const [asking, setAsking] = useState<ActionSpec | null>(null);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const actions = availableActions(rollout.state, rollout.pauseReason, role);
  if (actions.length === 0) return null;
  const close = () => (setAsking(null), setReason(''), setTouched(false), resetError());
  const confirm = () => {
    if (!asking) return;
    setTouched(true);
    if (asking.reason && reason.trim() === '') return;
    run(asking.kind, asking.reason ? reason.trim() : null).then(close, () => undefined);
  };
  return (
    <div className={styles.actions} role="group" aria-label="Rollout actions">
      {actions.map((a) => (
        <Button
          key={a.kind}
          variant={a.confirm === 'destructive' ? 'danger' : a.kind === 'start' || a.kind === 'resume' ? 'primary' : 'secondary'}
          busy={pending === a.kind && asking === null}
          disabled={pending !== null}
          onClick={() => (a.confirm === 'none' ? void run(a.kind, null).catch(() => undefined) : (resetError(), setAsking(a)))}
        >
          {a.label}
        </Button>
      ))}
      {asking === null && error ? <ErrorText error={error} /> : null}
      <ConfirmDialog
        open={asking !== null}
        title={asking ? `${asking.label.replace('…', '')}: ${rollout.name}` : ''}
        confirmLabel={asking?.label.replace('…', '') ?? 'Confirm'}
        destructive={asking?.confirm === 'destructive'}
        busy={pending !== null}
        error={error}
        onConfirm={confirm}
        onCancel={close}
      >
        <p>{asking?.explain}</p>
        {asking?.reason ? (
          <Field label="Reason" hint="Recorded on the timeline and in the audit" error={touched && reason.trim() === '' ? 'Give a reason' : undefined} maxLength={2000} length={reason.length}>
            {(c) => <textarea {...c} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
