'use client';

import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import type { PreviewTarget } from './contract';
import { overrideWords, type OverrideKind } from './start-refusal';
import { faultText } from './words';
import type { FaultSpecValue } from '@/server/domain/experiments/spec';
import styles from './experiments.module.css';

interface Props {
  open: boolean;
  name: string;
  fault: FaultSpecValue;
  durationS: number;
  targets: PreviewTarget[] | null;
  busy: boolean;
  error: unknown;
  /** The guard / freeze window refusals so far that this person may override (empty: none). */
  override: readonly OverrideKind[];
  /** The override reason, or null when nothing is overridden. */
  onStart: (overrideReason: string | null) => void;
  onCancel: () => void;
}

/** "Start run": the targets listed before anything is injected; an override reason only when it applies. */
export function StartRunDialog({ open, name, fault, durationS, targets, busy, error, override, onStart, onCancel }: Props) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const confirm = () => {
    if (override.length) {
      setTouched(true);
      if (!reason.trim()) return;
      onStart(reason.trim());
    } else onStart(null);
  };
  return (
    <ConfirmDialog
      open={open}
      title={`Start a run of ${name}`}
      confirmLabel={override.length ? `Override ${overrideWords(override)} and start` : 'Start run'}
      busyLabel="Starting…"
      destructive
      busy={busy}
      error={error}
      onConfirm={confirm}
      onCancel={() => (setReason(''), setTouched(false), onCancel())}
    >
      <p>
        {faultText(fault)} for {durationS} s on {targets ? `${targets.length} instance${targets.length === 1 ? '' : 's'}` : 'the instances the preview selects'}. Each fault has a lease: it is removed when the run ends, is aborted, or its controller stops.
      </p>
      {targets && targets.length ? (
        <ul aria-label="Instances this run will hit" className={styles.small} style={{ maxHeight: '12rem', overflowY: 'auto' }}>
          {targets.map((t) => (
            <li key={t.id}>
              {t.name} <span className="muted">({t.service}, {t.zone} / {t.cluster})</span>
            </li>
          ))}
        </ul>
      ) : null}
      {override.length ? (
        <Field label="Override reason" hint={`You may override ${overrideWords(override, true)} as an approver; recorded on the run and in the audit`} error={touched && !reason.trim() ? 'Give a reason' : undefined} maxLength={2000} length={reason.length}>
          {(c) => <textarea {...c} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      ) : null}
    </ConfirmDialog>
  );
}
