import { describe, expect, it } from 'vitest';
import { CliError } from './errors';
import { EXIT } from './exit-codes';
import { outcomeOf, snapshotOf, watchLine, watchRollout } from './watch';

const plain = { color: false };
const at = new Date('2026-12-02T04:05:06Z');
const rollout = (over: Record<string, unknown> = {}) => ({
  id: 'r1',
  state: 'progressing',
  pauseReason: null,
  abortReason: null,
  currentStep: 0,
  stepCount: 4,
  desiredCanaryPct: 5,
  measuredCanaryPct: 4.8,
  verdict: null,
  approval: null,
  ...over,
});

describe('watch line', () => {
  it('prints step, canary share, state and verdict', () => {
    expect(watchLine(null, snapshotOf(rollout()), at, plain)).toBe('04:05:06  step 1/4    canary 5%     Progressing  analysis —');
    const paused = snapshotOf(rollout({ state: 'paused', pauseReason: 'awaiting_approval', currentStep: 2, desiredCanaryPct: 25, verdict: 'pass', approval: { approvals: 0, quorum: 2 } }));
    expect(watchLine(null, paused, at, plain)).toBe('04:05:06  step 3/4    canary 25%    Paused (waiting for approval 0/2)  analysis pass');
    expect(watchLine(null, snapshotOf(rollout({ state: 'rolled_back', abortReason: 'analysis_failed', verdict: 'fail' })), at, plain)).toMatch(/Rolled back \(analysis failed\) {2}analysis fail$/);
  });

  it('prints nothing when only what is not followed changed (the measured share moves every tick)', () => {
    const a = snapshotOf(rollout());
    expect(watchLine(a, snapshotOf(rollout({ measuredCanaryPct: 5.3 })), at, plain)).toBeNull();
    expect(watchLine(a, snapshotOf(rollout({ currentStep: 1 })), at, plain)).not.toBeNull();
    expect(watchLine(a, snapshotOf(rollout({ verdict: 'running' })), at, plain)).not.toBeNull();
    expect(watchLine(a, snapshotOf(rollout({ desiredCanaryPct: 10 })), at, plain)).not.toBeNull();
  });

  it('reads an unexpected body without failing', () => {
    expect(watchLine(null, snapshotOf('nonsense'), at, plain)).toBe('04:05:06  step —      canary —      unknown  analysis —');
  });
});

describe('when watching ends', () => {
  it('succeeded → 0, aborted or rolled back → 3, waiting for approval → 0 only with --until-approval', () => {
    expect(outcomeOf(snapshotOf(rollout({ state: 'succeeded' })), false)?.exitCode).toBe(EXIT.ok);
    expect(outcomeOf(snapshotOf(rollout({ state: 'rolled_back' })), false)?.exitCode).toBe(EXIT.failed);
    expect(outcomeOf(snapshotOf(rollout({ state: 'aborted' })), false)?.exitCode).toBe(EXIT.failed);
    const waiting = snapshotOf(rollout({ state: 'paused', pauseReason: 'awaiting_approval' }));
    expect(outcomeOf(waiting, false)).toBeNull();
    expect(outcomeOf(waiting, true)?.exitCode).toBe(EXIT.ok);
    expect(outcomeOf(snapshotOf(rollout({ state: 'paused', pauseReason: 'guard' })), true)).toBeNull();
    for (const state of ['pending', 'progressing', 'promoting']) expect(outcomeOf(snapshotOf(rollout({ state })), true)).toBeNull();
  });
});

function scripted(responses: unknown[]) {
  const lines: string[] = [];
  let i = 0;
  const deps = {
    fetchRollout: () => {
      const r = responses[Math.min(i++, responses.length - 1)];
      return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
    },
    print: (l: string) => lines.push(l),
    sleep: () => Promise.resolve(),
    now: () => at,
    style: plain,
  };
  return { deps, lines, polls: () => i };
}

describe('watch loop', () => {
  it('prints a line per change and exits 0 when the rollout succeeds', async () => {
    const s = scripted([rollout(), rollout({ measuredCanaryPct: 3 }), rollout({ currentStep: 1, desiredCanaryPct: 50 }), rollout({ state: 'promoting', currentStep: 1, desiredCanaryPct: 100 }), rollout({ state: 'succeeded', currentStep: 1, desiredCanaryPct: 100 })]);
    const outcome = await watchRollout(s.deps, false);
    expect(outcome.exitCode).toBe(0);
    expect(s.polls()).toBe(5);
    expect(s.lines).toHaveLength(4);
    expect(s.lines.map((l) => l.split(/\s{2,}/).slice(1, 4).join(' | '))).toEqual([
      'step 1/4 | canary 5% | Progressing',
      'step 2/4 | canary 50% | Progressing',
      'step 2/4 | canary 100% | Promoting',
      'step 2/4 | canary 100% | Succeeded',
    ]);
  });

  it('exits 3 when the rollout rolls back', async () => {
    const s = scripted([rollout(), rollout({ state: 'aborted', abortReason: 'analysis_failed' })]);
    const outcome = await watchRollout(s.deps, false);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.words).toMatch(/analysis failed/);
  });

  it('waits out server and network failures, but not a missing rollout or a refused token', async () => {
    const blip = new CliError(EXIT.server, 'Cannot reach http://x: connection refused.');
    const s = scripted([rollout(), blip, blip, rollout({ state: 'succeeded' })]);
    expect((await watchRollout(s.deps, false)).exitCode).toBe(0);
    expect(s.lines.filter((l) => l.includes('retrying'))).toHaveLength(1);

    const gone = scripted([rollout(), new CliError(EXIT.notFound, 'Not found')]);
    await expect(watchRollout(gone.deps, false)).rejects.toMatchObject({ exitCode: EXIT.notFound });

    const down = scripted([blip]);
    await expect(watchRollout({ ...down.deps, maxFailures: 3 }, false)).rejects.toMatchObject({ exitCode: EXIT.server });
    expect(down.polls()).toBe(3);
  });

  it('--json prints one JSON object per change', async () => {
    const s = scripted([rollout(), rollout(), rollout({ state: 'succeeded' })]);
    await watchRollout({ ...s.deps, json: true }, false);
    expect(s.lines.map((l) => (JSON.parse(l) as { state: string }).state)).toEqual(['progressing', 'succeeded']);
  });
});
