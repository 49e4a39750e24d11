import { describe, expect, it } from 'vitest';
import { approvalCount, decisionRefusal, tally, type DecisionRefusalInput } from './approvals';

const now = Date.UTC(2026, 11, 1, 12);
const base: DecisionRefusalInput = {
  user: { id: 'ann', isApprover: true },
  rollout: { createdById: 'olga', startedById: 'oscar' },
  request: { state: 'open', expiresAt: new Date(now + 60_000) },
  decisions: [],
  now: new Date(now),
};

describe('decisionRefusal', () => {
  it('lets an approver who is not the author decide an open request in time', () => {
    expect(decisionRefusal(base)).toBeNull();
    expect(decisionRefusal({ ...base, decisions: [{ approverId: 'bob', decision: 'approve' }] })).toBeNull();
  });

  it('refuses, in words, a non-approver, the creator, the starter, a second decision, a closed and an expired request', () => {
    expect(decisionRefusal({ ...base, user: { id: 'ann', isApprover: false } })).toMatch(/Only an approver/);
    expect(decisionRefusal({ ...base, user: { id: 'olga', isApprover: true } })).toMatch(/You created this rollout/);
    expect(decisionRefusal({ ...base, user: { id: 'oscar', isApprover: true } })).toMatch(/You started this rollout/);
    // An editor of the spec or the starter of an earlier attempt is an author too.
    expect(decisionRefusal({ ...base, rollout: { ...base.rollout, authorIds: ['olga', 'eddie'] }, user: { id: 'eddie', isApprover: true } })).toMatch(/You edited or started this rollout/);
    expect(decisionRefusal({ ...base, decisions: [{ approverId: 'ann', decision: 'reject' }] })).toMatch(/already decided this request \(rejected\)/);
    expect(decisionRefusal({ ...base, request: { ...base.request, state: 'approved' } })).toMatch(/closed: the quorum was reached/);
    expect(decisionRefusal({ ...base, request: { ...base.request, state: 'rejected' } })).toMatch(/closed: an approver rejected/);
    expect(decisionRefusal({ ...base, now: now + 60_000 })).toMatch(/expired/);
  });

  it('does not take a null author for anyone', () => {
    expect(decisionRefusal({ ...base, rollout: { createdById: null, startedById: null } })).toBeNull();
  });
});

describe('tally', () => {
  const req = { quorum: 2, expiresAt: now + 60_000, state: 'open' as const };
  it('approves at the quorum of distinct approvers', () => {
    expect(tally(req, [{ approverId: 'a', decision: 'approve' }], now)).toBe('open');
    expect(tally(req, [{ approverId: 'a', decision: 'approve' }, { approverId: 'a', decision: 'approve' }], now)).toBe('open');
    expect(tally(req, [{ approverId: 'a', decision: 'approve' }, { approverId: 'b', decision: 'approve' }], now)).toBe('approved');
  });
  it('rejects on one reject, whatever the approvals', () => {
    expect(tally(req, [{ approverId: 'a', decision: 'approve' }, { approverId: 'b', decision: 'approve' }, { approverId: 'c', decision: 'reject' }], now)).toBe('rejected');
  });
  it('expires when still open at its expiry; a decision after the expiry does not count', () => {
    expect(tally(req, [{ approverId: 'a', decision: 'approve' }], now + 60_000)).toBe('expired');
    expect(tally(req, [{ approverId: 'a', decision: 'approve' }, { approverId: 'b', decision: 'approve', at: now + 61_000 }], now + 62_000)).toBe('expired');
    expect(tally(req, [{ approverId: 'a', decision: 'approve' }, { approverId: 'b', decision: 'approve', at: now + 1000 }], now + 62_000)).toBe('approved');
  });
  it('keeps a closed request as it was closed', () => {
    expect(tally({ ...req, state: 'approved' }, [{ approverId: 'c', decision: 'reject' }], now)).toBe('approved');
    expect(tally({ ...req, state: 'expired' }, [], now)).toBe('expired');
  });
  it('counts distinct approvers', () => {
    expect(approvalCount([{ approverId: 'a', decision: 'approve' }, { approverId: 'a', decision: 'approve' }, { approverId: 'b', decision: 'reject' }])).toBe(1);
  });
});
