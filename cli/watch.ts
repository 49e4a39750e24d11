// `rollouts watch`: poll GET /rollouts/{id} every second and print one line per change of what a
// person follows (state, step, canary share, analysis verdict, approvals) — never per poll. The
// pure functions below decide the line and when to stop; the loop around them is small.
import { PAUSE_REASON_LABELS, ABORT_REASON_LABELS, STATE_LABELS, type PauseReason, type AbortReason, type RolloutState } from '../server/domain/rollouts/machine';
import { CliError } from './errors';
import { EXIT, type ExitCode } from './exit-codes';
import { clean, stateColour, type Style } from './table';

export interface WatchSnapshot {
  state: string;
  pauseReason: string | null;
  abortReason: string | null;
  step: number;
  stepCount: number;
  canaryPct: number | null;
  verdict: string | null;
  approvals: string | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** What watch follows, read tolerantly from the rollout's JSON. */
export function snapshotOf(body: unknown): WatchSnapshot {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const approval = b.approval && typeof b.approval === 'object' ? (b.approval as Record<string, unknown>) : null;
  return {
    state: str(b.state) ?? 'unknown',
    pauseReason: str(b.pauseReason),
    abortReason: str(b.abortReason),
    // GET /rollouts/{id} says currentStep; the rows of GET /status say step.
    step: num(b.currentStep) ?? num(b.step) ?? 0,
    stepCount: num(b.stepCount) ?? 0,
    canaryPct: num(b.desiredCanaryPct) ?? num(b.canaryPct),
    verdict: str(b.verdict),
    approvals: approval ? `${num(approval.approvals) ?? 0}/${num(approval.quorum) ?? 1}` : null,
  };
}

const same = (a: WatchSnapshot, b: WatchSnapshot) => (Object.keys(a) as Array<keyof WatchSnapshot>).every((k) => a[k] === b[k]);

export function stateWords(s: WatchSnapshot): string {
  const label = STATE_LABELS[s.state as RolloutState] ?? clean(s.state, 40);
  if (s.state === 'paused' && s.pauseReason) return `${label} (${PAUSE_REASON_LABELS[s.pauseReason as PauseReason] ?? clean(s.pauseReason, 40)}${s.approvals && s.pauseReason === 'awaiting_approval' ? ` ${s.approvals}` : ''})`;
  if ((s.state === 'aborted' || s.state === 'rolled_back') && s.abortReason) return `${label} (${ABORT_REASON_LABELS[s.abortReason as AbortReason] ?? clean(s.abortReason, 40)})`;
  return label;
}

/** The line for a change (null when nothing a person follows changed since `prev`). */
export function watchLine(prev: WatchSnapshot | null, next: WatchSnapshot, at: Date, style: Style): string | null {
  if (prev && same(prev, next)) return null;
  const time = at.toISOString().slice(11, 19);
  const step = next.stepCount > 0 ? `step ${Math.min(next.step + 1, next.stepCount)}/${next.stepCount}` : 'step —';
  const canary = `canary ${next.canaryPct === null ? '—' : `${next.canaryPct}%`}`;
  const analysis = `analysis ${next.verdict ? stateColour(style, next.verdict) : '—'}`;
  return `${time}  ${step.padEnd(10)}  ${canary.padEnd(12)}  ${stateColour(style, next.state, stateWords(next))}  ${analysis}`;
}

export interface Outcome {
  exitCode: ExitCode;
  words: string;
}

/**
 * When watching ends: succeeded → 0; aborted or rolled back → 3 (the decision is taken when it is
 * aborted; rolled back follows once the platform applied 100 % stable). With --until-approval a
 * rollout that waits for an approval also ends the watch with 0: the pipeline's part is done, a
 * person decides next. Anything else keeps watching.
 */
export function outcomeOf(s: WatchSnapshot, untilApproval: boolean): Outcome | null {
  if (s.state === 'succeeded') return { exitCode: EXIT.ok, words: 'The rollout succeeded: 100 % on the canary version.' };
  if (s.state === 'rolled_back') return { exitCode: EXIT.failed, words: `The rollout rolled back: ${stateWords(s)}.` };
  if (s.state === 'aborted') return { exitCode: EXIT.failed, words: `The rollout was aborted and is rolling back: ${stateWords(s)}.` };
  if (untilApproval && s.state === 'paused' && s.pauseReason === 'awaiting_approval') return { exitCode: EXIT.ok, words: `The rollout waits for approval (${s.approvals ?? '0/1'}).` };
  return null;
}

export interface WatchDeps {
  fetchRollout: () => Promise<unknown>;
  print: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  style: Style;
  /** --json: one JSON object per change (NDJSON) instead of the line for people. */
  json?: boolean;
  intervalMs?: number;
  /** Polls in a row that may fail (server restarting, network blip) before watch gives up with 5. */
  maxFailures?: number;
}

export async function watchRollout(deps: WatchDeps, untilApproval: boolean): Promise<Outcome> {
  const interval = deps.intervalMs ?? 1000;
  const maxFailures = deps.maxFailures ?? 30;
  let prev: WatchSnapshot | null = null;
  let failures = 0;
  for (;;) {
    let body: unknown;
    try {
      body = await deps.fetchRollout();
      failures = 0;
    } catch (err) {
      // Only a server or network failure is worth waiting out; a 401/403/404 will not heal.
      if (!(err instanceof CliError) || err.exitCode !== EXIT.server || ++failures >= maxFailures) throw err;
      if (failures === 1 && !deps.json) deps.print(`${deps.now().toISOString().slice(11, 19)}  (${err.message} — retrying)`);
      await deps.sleep(interval);
      continue;
    }
    const snap = snapshotOf(body);
    const at = deps.now();
    const line = deps.json ? (prev && same(prev, snap) ? null : JSON.stringify({ at: at.toISOString(), ...snap })) : watchLine(prev, snap, at, deps.style);
    if (line) deps.print(line);
    prev = snap;
    const outcome = outcomeOf(snap, untilApproval);
    if (outcome) return outcome;
    await deps.sleep(interval);
  }
}
