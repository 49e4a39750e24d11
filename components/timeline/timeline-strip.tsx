'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/client';
import { QueryError, useQueryDisplay } from '@/components/ui/query-state';
import styles from './timeline.module.css';
import { stripCountWords } from './strip-count';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

export const KINDS = [
  { kind: 'safety', label: 'Halts and freezes', color: '#ff6b6b' },
  { kind: 'experiment', label: 'Experiment runs', color: '#ff9ecf' },
  { kind: 'rollout', label: 'Rollouts', color: '#5eead4' },
  { kind: 'policy', label: 'Policy changes', color: '#f7c96b' },
  { kind: 'change', label: 'Other changes', color: '#c3a6ff' },
  { kind: 'breaker', label: 'Breaker', color: '#f28b82' },
  { kind: 'degradation', label: 'Degradation', color: '#ffb270' },
  { kind: 'stage', label: 'Stage', color: '#7cc7ff' },
  { kind: 'weight', label: 'Weight recomputes', color: '#8be0a4' },
] as const;
export type Kind = (typeof KINDS)[number]['kind'];

export interface StripProps {
  from: number;
  to: number;
  kinds?: Kind[];
  instanceId?: string;
  serviceId?: string;
  zoneId?: string;
  clusterId?: string;
  regionId?: string;
  /** Compact: the strip on instance and service pages (no list, fewer lanes). */
  compact?: boolean;
  /** Refetch interval for live ranges. */
  refreshMs?: number;
}

/** Lanes per kind on one time axis; each event a focusable mark whose name says what happened. */
export function TimelineStrip({ from, to, kinds = KINDS.map((k) => k.kind), instanceId, serviceId, zoneId, clusterId, regionId, compact = false, refreshMs }: StripProps) {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const time = (ms: number) => formatTime(ms, zone, to);
  // Live pages move their range every tick: a 5 s grid keeps the query (and its cache key) steady.
  const qFrom = Math.floor(from / 5000) * 5000;
  const qTo = Math.ceil(to / 5000) * 5000;
  const q = useQuery(trpc.timeline.events.queryOptions({ from: qFrom, to: qTo, kinds, instanceId, serviceId, zoneId, clusterId, regionId, limit: compact ? 300 : 2000 }, { refetchInterval: refreshMs, placeholderData: (prev) => prev }));
  const [focus, setFocus] = useState<string | null>(null);
  const router = useRouter();
  // A failing read keeps its error on screen between the polls (query-state.tsx).
  const view = useQueryDisplay(q);
  if (view.shown.kind === 'error') return <QueryError error={view.shown.error} state={view} />;
  const events = q.data?.events ?? [];
  const lanes = KINDS.filter((k) => kinds.includes(k.kind));
  const x = (at: number) => `${Math.min(100, Math.max(0, ((at - from) / (to - from)) * 100))}%`;
  const focused = events.find((e) => e.id === focus) ?? null;
  return (
    <div className={styles.strip} aria-label="Event timeline" role="group" aria-busy={view.shown.kind === 'loading'}>
      {/* A live range ends on the page's 5 s grid of Date.now(): the server render and hydration can
          fall either side of a step (seconds apart on a loaded machine), so these may differ once
          (React #418); the next render, when the events arrive, writes the client's. */}
      <div className={styles.axis}>
        <span suppressHydrationWarning>{time(from)}</span>
        <span suppressHydrationWarning>{time((from + to) / 2)}</span>
        <span suppressHydrationWarning>{time(to)}</span>
      </div>
      {lanes.map((lane) => (
        <div key={lane.kind} className={styles.lane}>
          <span className={styles.laneLabel}>{lane.label}</span>
          <div className={styles.track}>
            {events
              .filter((e) => e.kind === lane.kind)
              .map((e) => (
                <button
                  key={e.id}
                  type="button"
                  className={styles.mark}
                  style={{ left: x(e.at), background: lane.color }}
                  aria-label={`${e.title}${e.instance ? ` on ${e.instance}` : ''} at ${time(e.at)}: ${e.detail}`}
                  onMouseEnter={() => setFocus(e.id)}
                  onFocus={() => setFocus(e.id)}
                  // Runs have a page of their own: a click opens it.
                  onClick={e.href ? () => router.push(e.href!) : undefined}
                />
              ))}
          </div>
        </div>
      ))}
      <p className={styles.detail} aria-live="polite">
        {focused ? (
          <>
            <strong>{time(focused.at)}</strong> {focused.href ? <Link href={focused.href}>{focused.title}</Link> : focused.title}
            {focused.instance ? <> on <a href={`/instances/${encodeURIComponent(focused.instance)}`}>{focused.instance}</a></> : null} — {focused.detail}
          </>
        ) : view.shown.kind === 'loading' ? (
          'Loading events…'
        ) : events.length === 0 ? (
          'No events in this range. Widen the range or enable more kinds.'
        ) : (
          `${q.data ? stripCountWords(q.data, to, lanes) : ''}. Hover or focus a mark for its details.`
        )}
      </p>
    </div>
  );
}
