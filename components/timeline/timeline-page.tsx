'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/components/trpc/client';
import { useUrlPatch } from '@/components/ui/use-url-patch';
import { Button } from '@/components/ui/button';
import { Table } from '@/components/ui/table';
import { KINDS, TimelineStrip, type Kind } from './timeline-strip';
import { ScopeFilters, useFleetScope } from '@/components/machines/scope-filters';
import { ErrorText } from '@/components/ui/error-text';
import { QueryStatus, useQueryDisplay } from '@/components/ui/query-state';
import styles from './timeline.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

const SPANS = [
  { label: '5 min', ms: 5 * 60_000 },
  { label: '1 h', ms: 3600_000 },
  { label: '24 h', ms: 24 * 3600_000 },
];

/** The whole view (range, kinds, topology filters) lives in the URL, so a link shows a colleague the same events. */
export function TimelinePage() {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const { params, go } = useUrlPatch();
  // Live: the end moves on a 5 s grid, so the query key (and the cache) stays put between renders.
  const now = Math.ceil(Date.now() / 5000) * 5000;
  const to = Number(params.get('to')) || 0;
  const span = Number(params.get('span')) || SPANS[0]!.ms;
  const live = to === 0;
  const end = live ? now : to;
  const from = end - span;
  const kinds = (params.get('kinds')?.split(',').filter((k): k is Kind => KINDS.some((x) => x.kind === k)) ?? KINDS.map((k) => k.kind));
  const { filter, ready, unknown } = useFleetScope(params);
  const events = useQuery(trpc.timeline.events.queryOptions({ from, to: end, kinds, ...filter, limit: 200 }, { enabled: ready, refetchInterval: live ? 5000 : undefined }));
  // The table said nothing while its read failed (an empty table); now the error stays on screen between the polls.
  const eventsView = useQueryDisplay(events);
  return (
    <>
      <div className={styles.controls}>
        <div role="group" aria-label="Range">
          {SPANS.map((s) => (
            <Button key={s.label} size="small" variant={span === s.ms ? 'primary' : 'secondary'} onClick={() => go({ span: String(s.ms) })}>
              {s.label}
            </Button>
          ))}{' '}
          <Button size="small" onClick={() => go({ span: String(Math.max(60_000, Math.round(span / 2))) })}>Zoom in</Button>{' '}
          <Button size="small" onClick={() => go({ span: String(Math.min(7 * 24 * 3600_000, span * 2)) })}>Zoom out</Button>{' '}
          <Button size="small" onClick={() => go({ to: String(end - span / 2) })}>← Earlier</Button>{' '}
          <Button size="small" disabled={live} onClick={() => go({ to: end + span / 2 >= Date.now() ? null : String(end + span / 2) })}>Later →</Button>{' '}
          {!live ? <Button size="small" onClick={() => go({ to: null })}>Back to now</Button> : null}
        </div>
        <ScopeFilters params={params} onChange={go} />
      </div>
      {unknown.length > 0 ? <ErrorText error={`Showing the whole fleet instead: ${unknown.join(', ')}. Pick one above.`} /> : null}
      <fieldset className={styles.kinds} aria-label="Event kinds">
        {KINDS.map((k) => (
          <label key={k.kind}>
            <input
              type="checkbox"
              checked={kinds.includes(k.kind)}
              onChange={(e) => go({ kinds: (e.target.checked ? [...kinds, k.kind] : kinds.filter((x) => x !== k.kind)).join(',') })}
            />{' '}
            {k.label}
          </label>
        ))}
      </fieldset>
      {ready ? <TimelineStrip from={from} to={end} kinds={kinds} {...filter} refreshMs={live ? 5000 : undefined} /> : null}
      {ready ? <QueryStatus state={eventsView} what="events" /> : null}
      <Table label="Events">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col">What</th>
            <th scope="col">Where / who</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {(events.data?.events ?? []).map((e) => (
            <tr key={e.id}>
              <td>{formatTime(e.at, zone)}</td>
              <td>{e.kind}</td>
              <td>{e.href ? <Link href={e.href}>{e.title}</Link> : e.title}</td>
              <td>{e.instance ? <a href={`/instances/${encodeURIComponent(e.instance)}`}>{e.instance}</a> : (e.actor ?? '—')}</td>
              <td>{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {events.data?.truncated ? <p className="muted">Showing 200 of {events.data.total}, the newest of each kind (a kind with many events does not crowd out the rest); narrow the range or the kinds to see the rest.</p> : null}
    </>
  );
}
