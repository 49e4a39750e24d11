import { describe, expect, it } from 'vitest';
import { availableActions } from './actions';

const kinds = (...a: Parameters<typeof availableActions>) => availableActions(...a).map((x) => x.kind);

describe('rollout actions by state and role', () => {
  it('shows a viewer no action at all', () => {
    for (const s of ['pending', 'progressing', 'paused', 'rolled_back'] as const) expect(kinds(s, s === 'paused' ? 'guard' : null, 'viewer')).toEqual([]);
  });
  it('lets an operator run but not promote or override', () => {
    expect(kinds('pending', null, 'operator')).toEqual(['start', 'remove']);
    expect(kinds('progressing', null, 'operator')).toEqual(['pause', 'abort']);
    expect(kinds('paused', 'guard', 'operator')).toEqual(['abort']);
    expect(kinds('paused', 'manual', 'operator')).toEqual(['resume', 'abort']);
    expect(kinds('rolled_back', null, 'operator')).toEqual(['retry']);
    expect(kinds('succeeded', null, 'operator')).toEqual([]);
  });
  it('gives an approver promote, promote-full and the guard override', () => {
    expect(kinds('paused', 'guard', 'approver')).toEqual(['promote', 'overrideGuard', 'promoteFull', 'abort']);
    expect(kinds('paused', 'awaiting_approval', 'approver')).toEqual(['promote', 'promoteFull', 'abort']);
  });
});
