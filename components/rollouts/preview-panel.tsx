'use client';

import { Badge } from '@/components/ui/badge';
import { Num, NumHead, Table } from '@/components/ui/table';
import type { PreviewResult, PreviewStep } from './contract';
import { guardText } from './guard-text';
import { stepSummary } from './words';
import styles from './rollouts.module.css';

const MATCH = { exact: 'is', prefix: 'starts with', regex: 'matches' } as const;
const num = (n: number) => n.toLocaleString('en-US');

/** What every step will do to the service's routing, computed by the server with the live loop's code. */
export function PreviewPanel({ preview, canaryVersion }: { preview: PreviewResult; canaryVersion: string }) {
  return (
    <div>
      {preview.problems.length ? (
        <div role="alert">
          <p>
            <strong>The active platform adapter cannot run this rollout:</strong>
          </p>
          <ul className={styles.problems} aria-label="Capability problems">
            {preview.problems.map((p, i) => (
              <li key={i}>
                {p.path ? <code>{p.path}</code> : null} {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">The active platform adapter supports every step.</p>
      )}
      <p className={`muted ${styles.small}`}>
        {preview.capacity
          ? `Today: ${num(preview.capacity.serviceRps)} requests/s; an instance serves about ${num(preview.capacity.instanceCapacityRps)} at full CPU, so the ${canaryVersion} instances can take about ${preview.capacity.maxCanarySharePct} % of the traffic before they saturate.`
          : 'No telemetry of today’s load yet: the preview cannot estimate what the canary can carry.'}
      </p>
      {preview.steps.map((s) => (
        <PreviewStepView key={s.index} step={s} canaryVersion={canaryVersion} />
      ))}
    </div>
  );
}

function PreviewStepView({ step: s, canaryVersion }: { step: PreviewStep; canaryVersion: string }) {
  const canaryPct = s.versionSplit[canaryVersion] ?? 0;
  const versions = Object.entries(s.versionSplit);
  return (
    <section className={styles.previewStep} aria-label={`Preview of step ${s.index + 1}`}>
      <h3>
        Step {s.index + 1}: {stepSummary(s.step)}
      </h3>
      {s.routing.headerRules.length ? (
        <ul className={styles.small} aria-label={`Header rules after step ${s.index + 1}`}>
          {s.routing.headerRules.map((r, i) => (
            <li key={i}>
              {r.header} {MATCH[r.match ?? 'exact']} “{r.equals}” → <strong>{r.version}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p className={`muted ${styles.small}`}>No header rules.</p>
      )}
      <p className={styles.small}>
        Other traffic: {versions.map(([v, p]) => `${v} ${Math.round(p * 10) / 10} %`).join(' · ') || '—'}
      </p>
      <div className={styles.split} aria-hidden="true">
        <span className={styles.splitStable} style={{ width: `${100 - canaryPct}%` }} />
        <span className={styles.splitCanary} style={{ width: `${canaryPct}%` }} />
      </div>
      {s.holds.length ? (
        <p className={styles.small}>
          <Badge tone="warning">would be held today</Badge> {s.holds.map(guardText).join('; ')}
        </p>
      ) : s.raisesCanary ? (
        <p className={`muted ${styles.small}`}>No guard holds it on today’s telemetry.</p>
      ) : null}
      {s.canaryLoad && s.canaryLoad.level !== 'ok' ? (
        <p className={styles.small}>
          <Badge tone={s.canaryLoad.level === 'over' ? 'danger' : 'warning'}>{s.canaryLoad.level === 'over' ? `overloads ${canaryVersion}` : `${canaryVersion} near capacity`}</Badge>{' '}
          {s.canaryLoad.instance}: about {num(s.canaryLoad.rps)} requests/s, {num(s.canaryLoad.utilisationPct)} % of what it can serve
        </p>
      ) : null}
      {s.outlook.length ? (
        <ul className={styles.small} aria-label={`Outlook of step ${s.index + 1}`}>
          {s.outlook.map((o, i) => (
            <li key={i}>{o}</li>
          ))}
        </ul>
      ) : null}
      {s.instances.length ? (
        <details>
          <summary className={styles.small}>Per-instance weights ({s.instances.length})</summary>
          <Table label={`Instances after step ${s.index + 1}`}>
            <thead>
              <tr>
                <th>Instance</th>
                <th>Zone</th>
                <th>Version</th>
                <NumHead>Weight</NumHead>
                <NumHead>Share</NumHead>
              </tr>
            </thead>
            <tbody>
              {s.instances.map((i) => (
                <tr key={i.id}>
                  <td>{i.name}</td>
                  <td>{i.zone}</td>
                  <td>{i.version}</td>
                  <Num>{Math.round(i.weight)}</Num>
                  <Num>{Math.round(i.sharePct * 10) / 10} %</Num>
                </tr>
              ))}
            </tbody>
          </Table>
        </details>
      ) : null}
    </section>
  );
}
