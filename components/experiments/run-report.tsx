'use client';

import { useEffect, useRef, type RefObject } from 'react';
import { CategoryBars } from '@/components/charts/category-bars';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Num, NumHead, Table } from '@/components/ui/table';
import { useReportMarkdown } from './api';
import { ErrorText } from '@/components/ui/error-text';
import type { LayerReport, RunReport as Report } from './contract';
import { availabilityText, levelText, reportVerdict, selfHealCell } from './report-text';
import { deltaMs } from './words';
import styles from './experiments.module.css';

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL is no longer needed after this task.
  queueMicrotask(() => URL.revokeObjectURL(url));
}

/** The per-layer report (shaped like the seed's "SLA under network jitter" table), its charts and downloads. */
const utc = (at: number) => new Date(at).toISOString().slice(11, 19);

/** "+182 ms" with the baseline → during figures it is the difference of, or "no data" in words. */
function DeltaCell({ l, q }: { l: LayerReport; q: 'p50' | 'p90' | 'p99' }) {
  if (l.delta[q] === null) return <Num>no data</Num>;
  return (
    <Num>
      {deltaMs(l.delta[q])}
      {/* Kept on one line: a wrapped "ms" under the figures reads as a second value. */}
      <span className={`${styles.reason} ${styles.nowrap}`}>
        {Math.round(l.baseline[q]!)} → {Math.round(l.during[q]!)} ms
      </span>
    </Num>
  );
}

/** The anchor the timeline's "report ready" links to: /experiments/runs/<id>#report. */
export const REPORT_ANCHOR = 'report';

/**
 * Opened at #report (from the timeline, or the run's own timeline): the report arrives after the
 * page, so the browser's own jump to the anchor finds nothing; this scrolls to it and focuses it
 * once it is there, and again whenever the hash is set to it.
 */
function useFocusWhenAnchored(ref: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const go = () => {
      if (window.location.hash !== `#${REPORT_ANCHOR}` || !ref.current) return;
      ref.current.scrollIntoView({ block: 'start' });
      ref.current.focus({ preventScroll: true });
    };
    go();
    window.addEventListener('hashchange', go);
    return () => window.removeEventListener('hashchange', go);
  }, [ref]);
}

export function RunReport({ report, runId, fileBase }: { report: Report; runId: string; fileBase: string }) {
  const md = useReportMarkdown();
  const section = useRef<HTMLElement>(null);
  useFocusWhenAnchored(section);
  const layers = report.layers;
  const verdict = reportVerdict(layers);
  const target = report.targetPct;
  const notes = layers.flatMap((l) => l.notes.map((n) => `${l.layer}: ${n}`));
  // Availability bars start a little below the lowest layer (or the target), so every bar shows.
  const lows = [target, ...layers.map((l) => l.availabilityPct).filter((v): v is number => v !== null)];
  const floor = Math.max(0, Math.floor((Math.min(...lows) - Math.max(0.2, (100 - Math.min(...lows)) * 0.25)) * 10) / 10);
  return (
    <section ref={section} id={REPORT_ANCHOR} tabIndex={-1} aria-labelledby="report-heading" className={styles.panel}>
      <div className={styles.header}>
        <h2 id="report-heading">Report per layer</h2>
        {verdict === 'met' ? <Badge tone="success">every layer met {target} % and self-healed</Badge> : verdict === 'missed' ? <Badge tone="danger">a layer missed the target or did not self-heal</Badge> : null}
      </div>
      <p className={`muted ${styles.small}`}>
        During the fault ({utc(report.fault.from)}–{utc(report.fault.to)} UTC) against the baseline {utc(report.baseline.from)}–{utc(report.baseline.to)} UTC; self-heal watched until {utc(report.observeUntil)} UTC.
      </p>
      <p>{report.summary}</p>
      <Table label="SLA per layer">
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <NumHead scope="col">P50 Δ</NumHead>
            <NumHead scope="col">P90 Δ</NumHead>
            <NumHead scope="col">P99 Δ</NumHead>
            <NumHead scope="col">Availability</NumHead>
            <NumHead scope="col">Self-heal</NumHead>
            <th scope="col">Max level</th>
            <NumHead scope="col">Breaker trips</NumHead>
          </tr>
        </thead>
        <tbody>
          {layers.map((l) => (
            <tr key={l.layer}>
              <th scope="row">
                {l.layer}
                <span className={styles.reason}>{l.services.join(', ')}</span>
              </th>
              <DeltaCell l={l} q="p50" />
              <DeltaCell l={l} q="p90" />
              <DeltaCell l={l} q="p99" />
              <Num>
                <span className={l.meetsTarget === false ? styles.over : undefined}>
                  {availabilityText(l)}
                  {l.meetsTarget === false ? ' ✗ below' : l.meetsTarget ? ' ✓' : ''}
                </span>
              </Num>
              <Num>{l.selfHealS === null ? <Badge tone="danger">{selfHealCell(l)}</Badge> : selfHealCell(l)}</Num>
              <td>{levelText(l.maxLevel)}</td>
              <Num>{l.breakerTrips}</Num>
            </tr>
          ))}
        </tbody>
      </Table>
      {notes.length ? (
        <ul className={`muted ${styles.small}`} aria-label="Missing data">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <div className={styles.twoCol}>
        <CategoryBars
          title="Latency added per layer"
          summary={layers.map((l) => `${l.layer}: P50 ${deltaMs(l.delta.p50)}, P90 ${deltaMs(l.delta.p90)}, P99 ${deltaMs(l.delta.p99)}`).join('; ')}
          data={layers.map((l) => ({ name: l.layer, p50: l.delta.p50, p90: l.delta.p90, p99: l.delta.p99 }))}
          series={[
            { key: 'p50', label: 'P50 Δ' },
            { key: 'p90', label: 'P90 Δ' },
            { key: 'p99', label: 'P99 Δ' },
          ]}
          format={(v) => `${Math.round(v)} ms`}
        />
        <CategoryBars
          title="Availability per layer"
          summary={layers.map((l) => `${l.layer}: ${availabilityText(l)}`).join('; ')}
          data={layers.map((l) => ({ name: l.layer, availability: l.availabilityPct }))}
          series={[{ key: 'availability', label: 'Availability during the fault' }]}
          thresholds={[{ value: target, label: `target ${target} %` }]}
          yDomain={[floor, 100]}
          format={(v) => `${Math.round(v * 100) / 100} %`}
        />
      </div>
      <div className={styles.actions}>
        <Button
          busy={md.isPending}
          busyLabel="Preparing…"
          onClick={() =>
            // The server writes the Markdown with the domain's reportMarkdown: one table, not two that drift.
            md.mutate(runId, { onSuccess: (r) => (r.format === 'markdown' ? download(`${fileBase}.md`, 'text/markdown', r.markdown) : undefined) })
          }
        >
          Download Markdown
        </Button>
        <Button onClick={() => download(`${fileBase}.json`, 'application/json', JSON.stringify(report, null, 2))}>Download JSON</Button>
      </div>
      {md.isError ? <ErrorText error={md.error} /> : null}
    </section>
  );
}
