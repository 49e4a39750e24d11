// Approvals are records (SPEC §6.2): who decided, approve or reject, with a reason. Never an
// author of the rollout (who created, edited or started any attempt of it); a quorum counts
// distinct approvers; one reject rejects; a request expires. The `decide` command and the
// "waiting for your approval" count ask the same function, so the button shown is the button
// that works.

export const APPROVAL_STATES = ['open', 'approved', 'rejected', 'expired'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
export type ApprovalDecisionKind = 'approve' | 'reject';

export interface DecisionRecord {
  approverId: string;
  decision: ApprovalDecisionKind;
}

export interface DecisionRefusalInput {
  /**
   * The signed-in user. `isApprover`: role approver or higher (hasRole(role, 'approver') in
   * server/auth/roles.ts; server/domain may not import server/auth).
   */
  user: { id: string; isApprover: boolean };
  /**
   * `authorIds`: everyone who authored it — its creator, every editor of its spec, every starter of
   * any attempt (the service derives them from the audit); createdById/startedById count too.
   */
  rollout: { createdById: string | null; startedById: string | null; authorIds?: readonly string[] };
  request: { state: ApprovalState; expiresAt: Date | number };
  decisions: readonly DecisionRecord[];
  now: Date | number;
}

const ms = (t: Date | number) => (typeof t === 'number' ? t : t.getTime());

const CLOSED_WORDS: Record<Exclude<ApprovalState, 'open'>, string> = {
  approved: 'This approval is closed: the quorum was reached',
  rejected: 'This approval is closed: an approver rejected it',
  expired: 'This approval is closed: it expired',
};

/** Why this user may not decide this request now, in words; null when they may. */
export function decisionRefusal(input: DecisionRefusalInput): string | null {
  const { user, rollout, request } = input;
  if (!user.isApprover) return 'Only an approver (role approver or admin) may decide an approval';
  if (rollout.createdById === user.id) return 'You created this rollout: its author may not decide its approvals';
  if (rollout.startedById === user.id) return 'You started this rollout: its author may not decide its approvals';
  if (rollout.authorIds?.includes(user.id)) return 'You edited or started this rollout: its author may not decide its approvals';
  const mine = input.decisions.find((d) => d.approverId === user.id);
  if (mine) return `You already decided this request (${mine.decision === 'approve' ? 'approved' : 'rejected'}); each approver decides once`;
  if (request.state !== 'open') return CLOSED_WORDS[request.state];
  if (ms(input.now) >= ms(request.expiresAt)) return 'This approval expired: no more decisions are taken';
  return null;
}

/**
 * The state a request is in given its decisions: one reject rejects; `quorum` distinct approvers
 * approve; an open request past its expiry expires. A closed request stays as it was closed
 * (a decision arriving late changes nothing), and decisions count only until the expiry: the
 * command refuses later ones, this makes a late row harmless too.
 */
export function tally(request: { quorum: number; expiresAt: Date | number; state: ApprovalState }, decisions: ReadonlyArray<DecisionRecord & { at?: Date | number }>, now: Date | number): ApprovalState {
  if (request.state !== 'open') return request.state;
  const expiry = ms(request.expiresAt);
  const inTime = decisions.filter((d) => d.at === undefined || ms(d.at) < expiry);
  if (inTime.some((d) => d.decision === 'reject')) return 'rejected';
  const approvers = new Set(inTime.filter((d) => d.decision === 'approve').map((d) => d.approverId));
  if (approvers.size >= Math.max(1, request.quorum)) return 'approved';
  return ms(now) >= expiry ? 'expired' : 'open';
}

/** Distinct approvers so far, for "1 of 2 approvals". */
export function approvalCount(decisions: readonly DecisionRecord[]): number {
  return new Set(decisions.filter((d) => d.decision === 'approve').map((d) => d.approverId)).size;
}
