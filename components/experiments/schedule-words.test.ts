import { describe, expect, it } from 'vitest';
import { cronWords, dueWords, historyLimitWords, scheduledRunWords } from './schedule-words';

describe('cronWords', () => {
  it.each([
    ['* * * * *', 'Every minute'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['0,20,40 * * * *', 'Every 20 minutes'],
    ['7 * * * *', 'Every hour at minute 7'],
    ['0 3 * * *', 'Every day at 03:00 UTC'],
    ['@daily', 'Every day at 00:00 UTC'],
    ['30 9,17 * * *', 'Every day at 09:30, 17:30 UTC'],
    ['0 9 * * mon-fri', 'At 09:00 UTC on Mon–Fri'],
    ['0 9 * * 1,3', 'At 09:00 UTC on Mon, Wed'],
    ['0 9 * * 7', 'At 09:00 UTC on Sun'],
    ['0 3 1 1 *', 'At 03:00 UTC on day 1 of the month in Jan'],
    ['0 3 * 6-8 *', 'Every day at 03:00 UTC in Jun–Aug'],
    ['*/5 * * * sat,sun', 'Every 5 minutes on Sun, Sat'],
    // Both day fields restricted: Vixie fires on either.
    ['0 4 1 * 1', 'At 04:00 UTC on day 1 of the month or on Mon'],
    ['0 4 1-31 * 1', 'Every day at 04:00 UTC'],
  ])('%s → %s', (expr, words) => expect(cronWords(expr)).toBe(words));

  it('says nothing for shapes it cannot put simply, or for an expression that does not parse', () => {
    expect(cronWords('5,17,44 * * * *')).toBeNull();
    expect(cronWords('0 1,3,5,7,9 * * *')).toBeNull();
    expect(cronWords('0 3 */2 * *')).toBeNull();
    expect(cronWords('0 25 * * *')).toBeNull();
    expect(cronWords('')).toBeNull();
  });
});

describe('historyLimitWords', () => {
  it('counts the runs kept', () => {
    expect(historyLimitWords(1)).toBe('keeps the last 1 finished run');
    expect(historyLimitWords(10)).toBe('keeps the last 10 finished runs');
  });
});

describe('scheduledRunWords', () => {
  const run = { abortReason: null, stateDetail: '' } as const;
  it('a skipped run says why, in the sweep’s words', () => {
    expect(scheduledRunWords({ ...run, state: 'skipped', skipReason: "run #3 (running) of this experiment is still active and the schedule's concurrency policy is forbid" })).toBe(
      "Skipped: run #3 (running) of this experiment is still active and the schedule's concurrency policy is forbid",
    );
    expect(scheduledRunWords({ ...run, state: 'skipped', skipReason: null })).toBe('Skipped: no reason was recorded');
  });
  it('other runs read as the runs list reads them', () => {
    expect(scheduledRunWords({ ...run, state: 'completed', skipReason: null })).toBe('Completed');
    expect(scheduledRunWords({ state: 'aborted', abortReason: 'replaced', stateDetail: 'Aborted: replaced by the next scheduled run', skipReason: null })).toMatch(/^Aborted — .+replaced by the next scheduled run$/);
  });
});

describe('dueWords', () => {
  const now = Date.UTC(2026, 11, 5, 6, 30);
  it.each([
    [now + 1000, null],
    [now, 'due now'],
    [now - 119_000, 'due now'],
    [now - 120_000, 'overdue by 2 min'],
    [now - 25 * 60_000, 'overdue by 25 min'],
    [now - 3 * 3600_000, 'overdue by 3 h'],
  ])('%s → %s', (at, words) => {
    expect(dueWords(new Date(at), now)).toBe(words);
    expect(dueWords(new Date(at).toISOString(), now)).toBe(words);
  });
});
