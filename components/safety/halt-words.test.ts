import { describe, expect, it } from 'vitest';
import { UTC_ZONE } from '@/components/ui/format-time';
import { canEngageHalt, canReleaseHalt, clearDuration, faultProgress, haltHeadline } from './halt-words';

const engagedAt = Date.UTC(2026, 11, 2, 1, 2, 3);
const now = engagedAt + 60_000;

describe('halt words', () => {
  it('says who engaged it, when and why', () => {
    expect(haltHeadline({ engagedAt, engagedByName: 'alice', reason: 'db failover', faultsClearedAt: null }, UTC_ZONE, now)).toBe('Halt-all engaged by alice at 01:02:03 UTC: db failover');
  });

  it('counts the faults still being removed, then says when the last one went', () => {
    const base = { engagedAt, engagedByName: 'a', reason: 'r' };
    expect(faultProgress({ ...base, faultsClearedAt: null, faultsPending: 3 }, UTC_ZONE, now)).toMatch(/^3 faults are still being removed… /);
    expect(faultProgress({ ...base, faultsClearedAt: null, faultsPending: 1 }, UTC_ZONE, now)).toMatch(/^1 fault is still being removed… /);
    expect(faultProgress({ ...base, faultsClearedAt: null }, UTC_ZONE, now)).toMatch(/^Faults are still being removed… /);
    expect(faultProgress({ ...base, faultsClearedAt: null, faultsPending: 0 }, UTC_ZONE, now)).toMatch(/^Every fault the halt stopped is removed from the platform\. /);
    expect(faultProgress({ ...base, faultsClearedAt: engagedAt + 850 }, UTC_ZONE, now)).toMatch(/^All faults removed at 01:02:03 UTC \(850 ms after engaging\)\./);
  });

  it('reads durations in ms below 10 s and in s above', () => {
    expect(clearDuration(0, 9_999)).toBe('9999 ms');
    expect(clearDuration(0, 12_400)).toBe('12 s');
    expect(clearDuration(5, 0)).toBe('0 ms');
  });

  it('lets operators engage and only approvers release; viewers neither', () => {
    expect([canEngageHalt('viewer'), canEngageHalt('operator'), canEngageHalt('approver'), canEngageHalt('admin')]).toEqual([false, true, true, true]);
    expect([canReleaseHalt('viewer'), canReleaseHalt('operator'), canReleaseHalt('approver'), canReleaseHalt('admin')]).toEqual([false, false, true, true]);
  });
});
