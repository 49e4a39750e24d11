import { describe, expect, it } from 'vitest';
import { ageText, CONFIDENCE_HINT, CONFIDENCE_LABEL, confidenceOption, durationText, measuredNote, stateText, stepSummary } from './words';

describe('rollouts in words', () => {
  it('says why a rollout stopped', () => {
    expect(stateText({ state: 'rolled_back', pauseReason: null, abortReason: 'analysis_failed', stateDetail: 'canary errors 4.1 % vs stable 0.3 %' })).toBe(
      'Rolled back: analysis failed — canary errors 4.1 % vs stable 0.3 %',
    );
    expect(stateText({ state: 'rolled_back', pauseReason: null, abortReason: 'analysis_failed', stateDetail: 'Analysis failed, rolling back: canary errors 52 %' })).toBe('Rolled back: Analysis failed, rolling back: canary errors 52 %');
    expect(stateText({ state: 'paused', pauseReason: 'awaiting_approval', abortReason: null })).toBe('Paused: waiting for approval');
    expect(stateText({ state: 'pending', pauseReason: null, abortReason: null, stateDetail: null })).toBe('Pending');
  });

  it('says when a measured canary share is not from now', () => {
    const end = Date.UTC(2026, 11, 5, 9, 0, 34);
    const back = { state: 'rolled_back', finishedAt: new Date(end) };
    expect(measuredNote({ ...back, measuredAt: new Date(end - 1000) }, end + 75_000)).toBe('measured 1 min 16 s ago, before the rollback');
    expect(measuredNote({ ...back, measuredAt: new Date(end + 2000) }, end + 75_000)).toBe('after the rollback');
    expect(measuredNote({ state: 'succeeded', finishedAt: new Date(end), measuredAt: new Date(end - 3000) }, end + 5000)).toBe('measured 8 s ago, before the end');
    expect(measuredNote({ state: 'progressing', finishedAt: null, measuredAt: new Date(end) }, end + 2000)).toBe('');
    expect(measuredNote({ state: 'progressing', finishedAt: null, measuredAt: new Date(end) }, end + 45_000)).toBe('measured 45 s ago');
    expect(measuredNote({ ...back, measuredAt: null }, end)).toBe('');
  });

  it('writes durations and ages a person reads', () => {
    expect(durationText(45)).toBe('45 s');
    expect(durationText(130)).toBe('2 min 10 s');
    expect(durationText(3600)).toBe('1 h');
    expect(durationText(3 * 86400 + 7200)).toBe('3 d 2 h');
    expect(ageText(1000, 500)).toBe('0 s');
  });

  it('summarises each kind of step in one line', () => {
    expect(stepSummary({ kind: 'setWeight', weight: 20 })).toBe('Set canary weight to 20 %');
    expect(stepSummary({ kind: 'setHeaderRoute', header: 'X-Abtest-Group', match: 'prefix', value: 'v2' })).toBe('Route requests whose X-Abtest-Group starts with “v2” to the canary');
    expect(stepSummary({ kind: 'pause' })).toBe('Pause until resumed');
    expect(stepSummary({ kind: 'approval', quorum: 2, expiresInS: 3600, onExpiry: 'abort' })).toBe('Approval: 2 approvers within 1 h, else abort');
    expect(stepSummary({ kind: 'analysis', seconds: 120, metrics: [{ metric: 'latency', quantile: 95, maxIncreasePct: 20 }] })).toBe('Analysis for 2 min: P95 latency +20 %');
  });

  it('states the analysis confidence per analysis, not per rollout (the math is unchanged: 1 − α)', () => {
    expect(CONFIDENCE_LABEL).toMatch(/per analysis/);
    expect(CONFIDENCE_HINT).toMatch(/^Per analysis: .* below α at every look\. A step analysis and the background analysis each spend α/);
    expect(confidenceOption(0.01)).toBe('99 % per analysis (α 0.01)');
    expect(confidenceOption(0.001)).toBe('99.9 % per analysis (α 0.001)');
    expect(confidenceOption(0.05)).toBe('95 % per analysis (α 0.05)');
  });
});
