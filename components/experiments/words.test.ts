import { describe, expect, it } from 'vitest';
import { EXPERIMENT_TEMPLATES } from '@/server/domain/experiments/templates';
import { overridableRefusal, overrideInput, overrideWords, withOverride } from './start-refusal';
import { validateDraft, draftFromTemplate } from './spec-draft';
import { conditionValueText, deltaMs, runStateText, specSummary } from './words';

const trpcError = (code: string, message: string, details?: unknown) => Object.assign(new Error(message), { data: { code, details } });

describe('experiments in words', () => {
  it('says the seed template as an SRE reads it', () => {
    const seed = EXPERIMENT_TEMPLATES.find((t) => t.key === 'seed-jitter')!;
    expect(specSummary(seed.spec)).toBe('delay 200 ms ± 300 ms (normal) on 50 % of edge-gateway for 2 min');
  });

  it('says why a run ended, with the detail', () => {
    expect(runStateText({ state: 'aborted', abortReason: 'abort_condition', stateDetail: 'P99 412 ms above 250 ms' })).toBe('Aborted — an abort condition fired: P99 412 ms above 250 ms');
    expect(runStateText({ state: 'running', abortReason: null, stateDetail: null })).toBe('Running');
    expect(runStateText({ state: 'running', abortReason: null, stateDetail: 'Running: delay confirmed on 5 targets' })).toBe('Running — delay confirmed on 5 targets');
    expect(runStateText({ state: 'running', abortReason: null, stateDetail: 'Note: kept' })).toBe('Running — Note: kept');
    expect(runStateText({ state: 'recovering', abortReason: 'abort_condition', stateDetail: 'Aborted: P99 1167 ms over 5 s (abort above 250 ms)' })).toBe('Recovering — an abort condition fired: P99 1167 ms over 5 s (abort above 250 ms)');
  });

  it('shows a condition’s live value against its threshold in its unit', () => {
    expect(conditionValueText({ kind: 'p99-above', ms: 250, windowS: 10 }, 412.4)).toEqual({ value: '412.4 ms', threshold: '> 250 ms' });
    expect(conditionValueText({ kind: 'availability-below', pct: 95, windowS: 10 }, null)).toEqual({ value: '—', threshold: '< 95 %' });
    expect(deltaMs(-3.4)).toBe('−3 ms');
  });
});

describe('the draft', () => {
  it('from the seed template validates once named, and names the missing name otherwise', () => {
    const d = draftFromTemplate(EXPERIMENT_TEMPLATES[0]!);
    const bad = validateDraft(d);
    expect(bad.ok).toBe(false);
    expect(Object.keys(bad.errors)).toEqual(['name']);
    expect(validateDraft({ ...d, name: 'jitter' }).ok).toBe(true);
  });

  it('keys a bad field by its path', () => {
    const d = draftFromTemplate(EXPERIMENT_TEMPLATES[0]!);
    const r = validateDraft({ ...d, name: 'x', spec: { ...d.spec, blastRadius: { ...d.spec.blastRadius, maxServicePct: 0 } } });
    expect(r.errors['spec.blastRadius.maxServicePct']).toEqual(['Max % of a service: at least 1 %']);
  });
});

describe('which refusal an approver may override', () => {
  it('a guard hold or a freeze window, from the details the server sends', () => {
    expect(overridableRefusal(trpcError('CONFLICT', 'cannot start: guard', { holds: [{ guard: 'degraded' }] }))).toBe('guard');
    expect(overridableRefusal(trpcError('CONFLICT', 'cannot start: frozen', { freezes: [{ name: 'x' }] }))).toBe('freeze');
  });
  it('never a halt, a blast radius or a stale write', () => {
    expect(overridableRefusal(trpcError('CONFLICT', 'Halt-all is engaged by ann'))).toBeNull();
    expect(overridableRefusal(trpcError('PRECONDITION_FAILED', 'cannot start: 10 of 10 edge-gateway exceeds 50 %', { refusals: ['…'] }))).toBeNull();
    expect(overridableRefusal(null)).toBeNull();
  });
});

describe('overrides a start needs', () => {
  it('a guard refused after the freeze was overridden keeps the freeze override: both are sent, with the one reason', () => {
    const first = withOverride([], 'freeze');
    const both = withOverride(first, 'guard');
    expect(both).toEqual(['freeze', 'guard']);
    expect(withOverride(both, 'freeze')).toEqual(['freeze', 'guard']);
    expect(withOverride(['guard'], 'freeze')).toEqual(['freeze', 'guard']);
    expect(overrideInput(both, 'release weekend drill')).toEqual({ freezeOverrideReason: 'release weekend drill', guardOverrideReason: 'release weekend drill' });
    expect(overrideInput(first, 'r')).toEqual({ freezeOverrideReason: 'r' });
    expect(overrideWords(both)).toBe('the freeze window and the guard');
    expect(overrideWords(['guard'], true)).toBe('the topology guard');
  });
  it('a refusal nobody overrides adds nothing', () => {
    expect(withOverride(['freeze'], null)).toEqual(['freeze']);
    expect(withOverride([], null)).toEqual([]);
  });
});
