// Rollouts in words: the state with its reason, a step in one line, durations. Pure, unit-tested.
import { ABORT_REASON_LABELS, PAUSE_REASON_LABELS, STATE_LABELS, type AbortReason, type PauseReason, type RolloutState } from '@/server/domain/rollouts/machine';
import type { AnalysisMetric, RolloutStep } from '@/server/domain/rollouts/spec';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export function stateTone(state: RolloutState): Tone {
  switch (state) {
    case 'succeeded':
      return 'success';
    case 'progressing':
    case 'promoting':
      return 'info';
    case 'paused':
      return 'warning';
    case 'aborted':
    case 'rolled_back':
      return 'danger';
    default:
      return 'neutral';
  }
}

/** "Paused: waiting for approval", "Rolled back: analysis failed — canary errors 4.1 % vs …". */
export function stateText(r: { state: RolloutState; pauseReason: PauseReason | null; abortReason: AbortReason | null; stateDetail?: string | null }): string {
  const label = STATE_LABELS[r.state];
  const reason = r.pauseReason ? PAUSE_REASON_LABELS[r.pauseReason] : r.abortReason ? ABORT_REASON_LABELS[r.abortReason] : null;
  const detail = r.stateDetail?.trim();
  if (!reason) return detail ? `${label}: ${detail}` : label;
  // The reconciler's detail often begins with the reason already ("Analysis failed, rolling back: …").
  if (detail && detail.toLowerCase().startsWith(reason.toLowerCase())) return `${label}: ${detail}`;
  return detail ? `${label}: ${reason} — ${detail}` : `${label}: ${reason}`;
}

export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m} min ${rest} s` : `${m} min`;
  const h = Math.floor(m / 60);
  const mm = m % 60;
  if (h < 48) return mm ? `${h} h ${mm} min` : `${h} h`;
  const d = Math.floor(h / 24);
  const hh = h % 24;
  return hh ? `${d} d ${hh} h` : `${d} d`;
}

/** "3 min", "2 h 5 min": how long ago, for the age column (never negative). */
export function ageText(from: string | number | Date, now: number): string {
  const t = new Date(from).getTime();
  return durationText(Math.max(0, (now - t) / 1000));
}

export function metricText(m: AnalysisMetric): string {
  return m.metric === 'error-rate' ? `error rate +${m.maxIncreasePct} %` : `P${m.quantile} latency +${m.maxIncreasePct} %`;
}

const MATCH_WORDS = { exact: 'is', prefix: 'starts with', regex: 'matches' } as const;

/** One line per step, e.g. "Set canary weight to 20 %", "Approval: 2 approvers within 1 h, else stay paused". */
export function stepSummary(step: RolloutStep): string {
  switch (step.kind) {
    case 'setWeight':
      return `Set canary weight to ${step.weight} %`;
    case 'setHeaderRoute':
      return `Route requests whose ${step.header} ${MATCH_WORDS[step.match]} “${step.value}” to the canary`;
    case 'pause':
      return step.seconds === undefined ? 'Pause until resumed' : `Pause for ${durationText(step.seconds)}`;
    case 'approval':
      return `Approval: ${step.quorum} approver${step.quorum === 1 ? '' : 's'} within ${durationText(step.expiresInS)}, else ${step.onExpiry === 'abort' ? 'abort' : 'stay paused'}`;
    case 'analysis':
      return `Analysis for ${durationText(step.seconds)}: ${step.metrics.map(metricText).join(', ')}`;
  }
}

export const STEP_KIND_LABELS: Record<RolloutStep['kind'], string> = {
  setWeight: 'Set weight',
  setHeaderRoute: 'Header route',
  pause: 'Pause',
  approval: 'Approval',
  analysis: 'Analysis',
};

export function verdictTone(v: string | null | undefined): Tone {
  return v === 'pass' ? 'success' : v === 'fail' ? 'danger' : v === 'inconclusive' ? 'warning' : v === 'running' ? 'info' : 'neutral';
}

export const VERDICT_LABELS: Record<string, string> = { running: 'running', pass: 'passed', fail: 'failed', inconclusive: 'inconclusive' };

export const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${Math.round(v * 10) / 10} %`);

/**
 * The analysis confidence in words. α holds per analysis (its metrics share it), not per rollout:
 * a step analysis and the background analysis each spend α, so the console never says otherwise.
 */
export const CONFIDENCE_LABEL = 'Confidence (per analysis)';
export const CONFIDENCE_HINT =
  'Per analysis: the chance that one analysis calls a good canary bad stays below α at every look. A step analysis and the background analysis each spend α, so a rollout with both can be stopped wrongly with a chance of up to α for each.';

/** "99 % per analysis (α 0.01)". */
export function confidenceOption(alpha: number): string {
  return `${Math.round((1 - alpha) * 1000) / 10} % per analysis (α ${alpha})`;
}

/** A measured share older than this (seconds) while a rollout runs is not "now": its age is said. */
const MEASURED_STALE_S = 10;

/**
 * When the measured canary share is from, if a reader could take it for "now": a finished
 * rollout's share from before its end (no tick after it yet, or the loop stopped), or a running
 * one's older than a few ticks. '' when the share is current.
 */
export function measuredNote(r: { state: string; measuredAt: string | Date | null; finishedAt: string | Date | null }, now: number): string {
  if (!r.measuredAt) return '';
  const at = new Date(r.measuredAt).getTime();
  const end = r.state === 'rolled_back' ? 'the rollback' : 'the end';
  if (r.finishedAt && (r.state === 'rolled_back' || r.state === 'succeeded')) {
    return at <= new Date(r.finishedAt).getTime() ? `measured ${ageText(at, now)} ago, before ${end}` : `after ${end}`;
  }
  return now - at > MEASURED_STALE_S * 1000 ? `measured ${ageText(at, now)} ago` : '';
}
