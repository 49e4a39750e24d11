'use client';

import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { GraphNode, ServiceGraph } from '@/server/domain/topology/service-graph';
import { BAD_ERROR_RATE, UNHEALTHY_SHARE, count } from '@/server/domain/topology/service-health';
import type { TopologyViewProps } from '../view-state';
import { HEALTH_WORDS, edgeFigures, formatMs, formatPercent, nodeFigures, nodeMarks, versionSplitText } from './format';
import styles from './service-graph-view.module.css';

const tone = { ok: 'success', warn: 'warning', bad: 'danger' } as const;

/** The selected service: why it is (un)healthy, its versions, callers and callees, and where to go next. */
export function ServicePanel({ node: n, graph, onChange }: { node: GraphNode; graph: ServiceGraph; onChange: TopologyViewProps['onChange'] }) {
  const nameOf = new Map(graph.nodes.map((x) => [x.id, x.name]));
  const callers = graph.edges.filter((e) => e.target === n.id);
  const callees = graph.edges.filter((e) => e.source === n.id);
  return (
    <aside className={styles.panel} aria-label={`Details of ${n.name}`}>
      <div className={styles.panelHead}>
        <h2>{n.name}</h2>
        <Button size="small" onClick={() => onChange({ focus: null })} aria-label="Close the details">
          Close
        </Button>
      </div>
      <p>
        <Badge tone={tone[n.health]}>{HEALTH_WORDS[n.health]}</Badge> {n.layer ? <span className={styles.muted}>{n.layer} layer</span> : null}
      </p>
      {n.reasons.length ? (
        <ul className={styles.reasons}>
          {n.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {n.hasTelemetry ? (
        <p className={styles.muted}>
          Red from {Math.round(UNHEALTHY_SHARE * 100)} % of the instances down, degraded or behind an open breaker, or {Math.round(BAD_ERROR_RATE * 100)} % of requests failing; amber for fewer.
        </p>
      ) : null}
      <dl className={styles.facts}>
        <dt>Traffic</dt>
        <dd>{nodeFigures(n)}</dd>
        <dt>Instances</dt>
        <dd>{n.hasTelemetry ? `${count(n.up)} of ${count(n.instances)} up` : `${count(n.instances)} (no telemetry yet)`}</dd>
        {nodeMarks(n).map((m) => (
          <div key={m.key} className={styles.fact}>
            <dt>{m.key === 'rollout' ? 'Rollout' : m.key === 'fault' ? 'Experiment' : 'Resilience'}</dt>
            <dd>{m.words}</dd>
          </div>
        ))}
      </dl>
      {n.versions.length ? (
        <>
          <h3>Versions</h3>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Requests</th>
                <th scope="col">Errors</th>
                <th scope="col">P95</th>
              </tr>
            </thead>
            <tbody>
              {n.versions.map((v) => (
                <tr key={v.version}>
                  <td>
                    {v.version}
                    {n.rollout?.canaryVersion === v.version ? ' (canary)' : ''}
                  </td>
                  <td>{formatPercent(v.share * 100)}</td>
                  <td>{v.errorRate === null ? '–' : formatPercent(v.errorRate * 100)}</td>
                  <td>{formatMs(v.p95Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h3>Called by</h3>
      {callers.length ? (
        <ul className={styles.calls}>
          {callers.map((e) => (
            <li key={e.id} title={e.note}>
              <Button size="small" variant="ghost" onClick={() => onChange({ focus: nameOf.get(e.source) ?? null })}>
                {nameOf.get(e.source)}
              </Button>{' '}
              {edgeFigures(e)}
              {e.apportioned ? ' (share by callers’ rates)' : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className={styles.muted}>No declared caller (an entry point).</p>
      )}
      <h3>Calls</h3>
      {callees.length ? (
        <ul className={styles.calls}>
          {callees.map((e) => (
            <li key={e.id} title={e.note}>
              <Button size="small" variant="ghost" onClick={() => onChange({ focus: nameOf.get(e.target) ?? null })}>
                {nameOf.get(e.target)}
              </Button>{' '}
              {edgeFigures(e)}
              {e.versions.length ? ` · ${versionSplitText(e.versions)}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className={styles.muted}>Calls no other service.</p>
      )}
      <div className={styles.links}>
        <Link href={`/services/${encodeURIComponent(n.name)}`}>
          Open {n.name}
        </Link>
        <Button size="small" onClick={() => onChange({ view: 'placement', q: n.name, focus: null })}>
          Show its {n.instances} instances in the placement view
        </Button>
      </div>
    </aside>
  );
}
