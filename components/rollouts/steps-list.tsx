'use client';

import { Badge } from '@/components/ui/badge';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';
import type { GuardHoldView, RolloutDetail } from './contract';
import { guardText, heldByText } from './guard-text';
import { stepSummary, type Tone } from './words';
import styles from './rollouts.module.css';

type Phase = 'done' | 'current' | 'upcoming' | 'skipped';

function phaseOf(r: Pick<RolloutDetail, 'state' | 'currentStep'>, index: number, ran: boolean): Phase {
  if (r.state === 'pending') return 'upcoming';
  if (r.state === 'succeeded') return ran || index < r.currentStep ? 'done' : 'skipped';
  if (index < r.currentStep) return 'done';
  if (index === r.currentStep) return r.state === 'rolled_back' || r.state === 'aborted' ? (ran ? 'done' : 'upcoming') : 'current';
  return 'upcoming';
}

const PHASE_TONE: Record<Phase, Tone> = { done: 'success', current: 'info', upcoming: 'neutral', skipped: 'neutral' };
const PHASE_LABEL: Record<Phase, string> = { done: 'done', current: 'now', upcoming: 'next', skipped: 'skipped' };

const time = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** The steps with their state, times, outcome, and the guard holding the current one (live value). */
export function StepsList({ detail, liveHolds }: { detail: RolloutDetail; liveHolds: GuardHoldView[] }) {
  const zone = useDisplayZone();
  return (
    <ol className={styles.steps} aria-label="Steps of the rollout">
      {detail.steps.map(({ index, step, run }) => {
        const phase = phaseOf(detail, index, run !== null);
        const started = time(run?.startedAt);
        const ended = time(run?.finishedAt);
        const applied = time(run?.appliedAt);
        const held = phase === 'current' && detail.pauseReason === 'guard' && liveHolds.length ? liveHolds.map(guardText) : heldByText(run?.heldBy);
        return (
          <li key={index} className={`${styles.stepItem} ${phase === 'current' ? styles.current : ''}`} aria-current={phase === 'current' ? 'step' : undefined}>
            <div className={styles.runHead}>
              <strong>Step {index + 1}</strong>
              <Badge tone={PHASE_TONE[phase]}>{PHASE_LABEL[phase]}</Badge>
              <span>{stepSummary(step)}</span>
            </div>
            <p className={`${styles.small} muted`}>
              {started ? `started ${formatTime(started, zone)}` : 'not started'}
              {applied ? ` · routing applied ${formatTime(applied, zone)}` : ''}
              {ended ? ` · ended ${formatTime(ended, zone)}` : ''}
              {run?.outcome ? ` · ${run.outcome}` : ''}
            </p>
            {held.length ? (
              <p className={styles.small}>
                <Badge tone="warning">held by a guard</Badge> {held.join('; ')}
              </p>
            ) : null}
            {run?.overrideReason ? (
              <p className={styles.small}>
                Guard overridden{run.overrideByName ? ` by ${run.overrideByName}` : ''}: “{run.overrideReason}”
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
