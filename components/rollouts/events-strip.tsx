'use client';

import { Badge } from '@/components/ui/badge';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';
import type { RolloutEventView } from './contract';
import type { Tone } from './words';
import styles from './rollouts.module.css';

const KIND_TONE: Record<string, Tone> = { state: 'info', step: 'neutral', approval: 'warning', decision: 'warning', analysis: 'info', guard: 'warning', override: 'danger', routing: 'neutral' };

/** The rollout's timeline, newest first: transitions, steps, approvals, decisions, verdicts, guards. */
export function EventsStrip({ events }: { events: RolloutEventView[] }) {
  const zone = useDisplayZone();
  if (events.length === 0) return <p className="muted">Nothing happened yet.</p>;
  return (
    <ol className={styles.timeline} aria-label="Rollout timeline">
      {events.map((e) => (
        <li key={e.id}>
          <time dateTime={new Date(e.at).toISOString()}>{formatTime(e.at, zone)}</time>
          <span>
            <Badge tone={KIND_TONE[e.kind] ?? 'neutral'}>{e.kind}</Badge>
          </span>
          <span>
            {e.summary}
            {e.actorName ? <span className="muted"> — {e.actorName}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
