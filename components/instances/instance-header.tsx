import Link from 'next/link';
import type { InstanceDetail } from '@/server/services/telemetry/telemetry-read';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { formatDuration } from '@/components/charts/time-axis';
import { adminTone, breakerTone, degradationTone, fmtDegradation, fmtRatio, fmtWeight, trafficShare } from '@/components/telemetry/format';
import { breakerWeightNote } from './breaker-note';
import { secondsToTarget } from './live-merge';
import styles from './instances.module.css';

export function InstanceHeader({ d }: { d: InstanceDetail }) {
  const up = d.latest?.up;
  return (
    <header className={styles.header}>
      <Breadcrumbs items={[{ label: 'Services', href: '/services' }, { label: d.service.name, href: `/services/${encodeURIComponent(d.service.name)}` }, { label: d.instance.name }]} />
      <h1 className={styles.title}>{d.instance.name}</h1>
      <ul className={styles.meta} aria-label="Instance facts">
        <li>
          version <strong>{d.instance.appVersion}</strong>
        </li>
        <li>
          {d.region} / {d.zone} / <Link href={`/clusters/${encodeURIComponent(d.cluster)}`}>{d.cluster}</Link>
        </li>
        <li>
          <Badge tone={adminTone(d.instance.adminState)}>admin {d.instance.adminState}</Badge>
        </li>
        <li>{up === false ? <Badge tone="danger">unreachable</Badge> : up ? <Badge tone="success">reachable</Badge> : <Badge>no sample yet</Badge>}</li>
        <li>
          <Badge tone={breakerTone(d.breaker.state)} label={`Breaker ${d.breaker.state}`}>
            breaker {d.breaker.state}
          </Badge>
        </li>
        <li>
          <Badge tone={degradationTone(d.degradation.level)} label={`Degradation ${fmtDegradation(d.degradation.level)}`}>
            {fmtDegradation(d.degradation.level)}
          </Badge>
        </li>
      </ul>
    </header>
  );
}

/**
 * The two numbers an on-call engineer looks for first. A status element for tests and assistive
 * tech, but not announced on every tick (aria-live off): it changes every second.
 */
export function WeightStatus({ d, points }: { d: InstanceDetail; points: ReadonlyArray<{ t: number; target: number; effective: number }> }) {
  const l = d.latest;
  if (!l) return null;
  const eta = secondsToTarget(points.length >= 2 ? points : []);
  const settled = Math.abs(l.target - l.effective) < 0.5;
  // A high weight beside an open or half-open breaker reads as a contradiction: say why it is not.
  const note = breakerWeightNote(d.breaker.state, l.rps);
  const share = d.peers ? trafficShare(l.effective, d.peers.sumEffective, d.peers.versionWeight, d.peers.versionWeightTotal) : null;
  return (
    <div role="status" aria-live="off" aria-atomic="true" className={styles.weightStatus}>
      <div className={styles.bigNumber}>
        <span className={styles.bigLabel}>Effective weight</span> <span className={styles.bigValue}>{fmtWeight(l.effective)}</span>
      </div>
      <div className={styles.bigNumber}>
        <span className={styles.bigLabel}>Target weight</span> <span className={styles.bigValue}>{fmtWeight(l.target)}</span>
      </div>
      <p className={styles.walk}>
        {settled
          ? 'The effective weight is at its target.'
          : `Moving ${l.effective > l.target ? 'down' : 'up'} to ${fmtWeight(l.target)}${eta !== null ? `, there in about ${formatDuration(eta * 1000)}` : ''} (a linear walk over ${d.policy.weight.smoothingWindowS} s, so routing never jumps).`}
        {share !== null ? ` Receives about ${fmtRatio(share)} of ${d.service.name}'s unmatched traffic.` : ''}
      </p>
      {note ? <p className={styles.walk}>{note}</p> : null}
    </div>
  );
}
