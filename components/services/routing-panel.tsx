import type { ServiceDetail, ServiceSeries } from '@/server/services/telemetry/telemetry-read-service';
import { Badge } from '@/components/ui/badge';
import { actualShares, desiredShares, formatShares } from './split';
import styles from './services.module.css';

/** Desired routing (version weights, header rules) beside the split the samples actually show. */
export function RoutingPanel({ d, series }: { d: ServiceDetail; series: ServiceSeries | undefined }) {
  const r = d.service.routing;
  const desired = desiredShares(r.versionWeights);
  const last = series?.byVersion.at(-1)?.t;
  const actual = series && last !== undefined ? actualShares(series.byVersion, last - 60_000) : null;
  const applied = d.service.appliedVersion >= d.service.version;
  const versions = [...new Set([...Object.keys(desired), ...Object.keys(actual ?? {})])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return (
    <section aria-labelledby="routing-heading" className={styles.routing}>
      <h2 id="routing-heading">Routing</h2>
      <p className={styles.routingNote}>
        Header rules are matched first; unmatched traffic is split between versions by weight, then between a version&apos;s instances by their effective weights.{' '}
        <Badge tone={applied ? 'success' : 'warning'}>{applied ? `registry v${d.service.version} applied` : `v${d.service.version} applying…`}</Badge>
      </p>
      <div className={styles.routingGrid}>
        <div>
          <h3 className={styles.h3}>Version weights</h3>
          {versions.length === 0 ? (
            <p className="muted">No version weights: every request goes to the only version.</p>
          ) : (
            <dl className={styles.splitList}>
              <SplitBar label="Desired" shares={desired} versions={versions} />
              {actual ? <SplitBar label="Actual, last minute" shares={actual} versions={versions} /> : null}
            </dl>
          )}
          <p className="muted">
            Desired {formatShares(desired)}
            {actual ? `; actual ${formatShares(actual)} (header-matched traffic included)` : ''}.
          </p>
        </div>
        <div>
          <h3 className={styles.h3}>Header rules</h3>
          {r.headerRules.length === 0 ? (
            <p className="muted">No header rules: all traffic is split by version weight.</p>
          ) : (
            <table className={styles.rules}>
              <caption className="visually-hidden">Header rules</caption>
              <thead>
                <tr>
                  <th scope="col">Header</th>
                  <th scope="col">Equals</th>
                  <th scope="col">Goes to</th>
                </tr>
              </thead>
              <tbody>
                {r.headerRules.map((h, i) => (
                  <tr key={`${h.header}-${h.equals}-${i}`}>
                    <td>
                      <code>{h.header}</code>
                    </td>
                    <td>
                      <code>{h.equals}</code>
                    </td>
                    <td>{h.version}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}

function SplitBar({ label, shares, versions }: { label: string; shares: Record<string, number>; versions: string[] }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span className={styles.splitBar} aria-hidden="true">
          {versions.map((v, i) => (
            <span key={v} className={styles.splitPart} data-i={i % 4} style={{ width: `${(shares[v] ?? 0) * 100}%` }}>
              {(shares[v] ?? 0) >= 0.08 ? v : ''}
            </span>
          ))}
        </span>
        <span className="visually-hidden">{formatShares(shares)}</span>
      </dd>
    </>
  );
}
