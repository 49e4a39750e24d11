'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useDisplayZone } from '@/components/ui/display-zone';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { formatDateTime } from '@/components/ui/format-time';
import type { Role } from '@/server/db/generated/enums';
import { atLeast } from './actions';
import type { RolloutDetail } from './contract';
import styles from './rollouts.module.css';
import { useFocusApproval } from './use-focus-approval';

const REQUEST_TONE = { open: 'warning', approved: 'success', rejected: 'danger', expired: 'neutral' } as const;

interface Props {
  detail: Pick<RolloutDetail, 'approvals' | 'canDecide' | 'isAuthor' | 'state'>;
  role: Role;
  /** The signed-in user's id. */
  me: string;
  decide: (requestId: string, decision: 'approve' | 'reject', reason: string) => void;
  busy: boolean;
  error: unknown;
}

/** Approval requests with every decision named (who, when, why); the form for approvers who may decide. */
export function ApprovalsPanel({ detail, role, me, decide, busy, error }: Props) {
  const zone = useDisplayZone();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  // A request still open on a rollout that ended (aborted, rolled back, promoted) can no longer be decided.
  const ended = detail.state === 'succeeded' || detail.state === 'aborted' || detail.state === 'rolled_back' || detail.state === 'promoting';
  const open = ended ? undefined : detail.approvals.find((a) => a.request.state === 'open');
  const linked = useFocusApproval(detail.approvals, ended);
  const decidedByMe = open?.decisions.some((d) => d.approverId === me) ?? false;
  const reasonError = touched && reason.trim() === '' ? 'Give a reason: it is recorded with your decision' : undefined;
  const send = (decision: 'approve' | 'reject') => {
    setTouched(true);
    if (!open || reason.trim() === '') return;
    decide(open.request.id, decision, reason.trim());
  };

  /** Why this person sees no buttons, in words. */
  const whyNot = !open
    ? null
    : detail.canDecide
      ? null
      : detail.isAuthor
        ? 'You created or started this rollout: an approver other than its author must decide.'
        : decidedByMe
          ? 'You have decided on this request; it waits for other approvers.'
          : !atLeast(role, 'approver')
            ? 'Only approvers (role approver or admin) decide approvals.'
            : 'You cannot decide this request.';

  return (
    <section ref={linked.ref} tabIndex={-1} data-linked={linked.wanted ? 'true' : undefined} className={styles.panel} aria-labelledby="approvals-heading">
      <h2 id="approvals-heading">Approvals</h2>
      {linked.note ? <p role="note">{linked.note}</p> : null}
      {detail.approvals.length === 0 ? <p className="muted">No approval requested yet: a request opens when the rollout reaches an approval step.</p> : null}
      {detail.approvals.map(({ request, decisions }) => {
        const approvals = decisions.filter((d) => d.decision === 'approve').length;
        return (
          <div key={request.id} aria-label={`Approval of step ${request.stepIndex + 1}`} role="group">
            <p>
              <strong>Step {request.stepIndex + 1}</strong>{' '}
              {ended && request.state === 'open' ? <Badge tone="neutral">closed with the rollout</Badge> : <Badge tone={REQUEST_TONE[request.state]}>{request.state}</Badge>} {approvals} of {request.quorum} approval{request.quorum === 1 ? '' : 's'} · expires{' '}
              {formatDateTime(request.expiresAt, zone)} ({request.onExpiry === 'abort' ? 'then aborts' : 'then stays paused'})
            </p>
            {decisions.length ? (
              <ul className={styles.decisions} aria-label={`Decisions on step ${request.stepIndex + 1}`}>
                {decisions.map((d) => (
                  <li key={d.id}>
                    <Badge tone={d.decision === 'approve' ? 'success' : 'danger'}>{d.decision === 'approve' ? 'approved' : 'rejected'}</Badge> by <strong>{d.approverName}</strong>
                    , {formatDateTime(d.at, zone)}: “{d.reason}”
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No decision yet.</p>
            )}
          </div>
        );
      })}
      {open && detail.canDecide ? (
        <form onSubmit={(e) => (e.preventDefault(), send('approve'))} noValidate>
          <Field label="Reason for your decision" error={reasonError} maxLength={2000} length={reason.length}>
            {(c) => <textarea {...c} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className={styles.actions}>
            <Button type="submit" variant="primary" busy={busy} busyLabel="Recording…">
              Approve
            </Button>
            <Button variant="danger" disabled={busy} onClick={() => send('reject')}>
              Reject
            </Button>
          </div>
          <ErrorText error={error} />
        </form>
      ) : whyNot ? (
        <p role="note" className={styles.small}>
          {whyNot}
        </p>
      ) : null}
    </section>
  );
}
