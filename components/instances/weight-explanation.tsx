import type { InstanceDetail } from '@/server/services/telemetry/telemetry-read';
import { formatDuration } from '@/components/charts/time-axis';
import { fmtCount, fmtMs, fmtPct, fmtWeight } from '@/components/telemetry/format';
import styles from './instances.module.css';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatTime } from '@/components/ui/format-time';

const INPUT_NAME: Record<string, string> = { p95: 'P95 latency', latency: 'Latency', cpu: 'CPU', memory: 'Memory', connections: 'Connections' };
const SHORT: Record<string, string> = { p95: 'P95', latency: 'latency', cpu: 'CPU', memory: 'memory', connections: 'conns' };
const CADENCE_KEY: Record<string, 'cpu' | 'p95' | 'connections' | undefined> = { cpu: 'cpu', p95: 'p95', latency: 'p95', connections: 'connections' };

function fmtInput(input: string, v: number | null | undefined) {
  return input === 'cpu' || input === 'memory' ? fmtPct(v) : input === 'p95' || input === 'latency' ? fmtMs(v) : fmtCount(v);
}

/**
 * Why the instance has its weight: the arithmetic in words, a bar of what each input took off
 * the base, each input against its threshold (at the recompute and now), and what set it moving.
 */
export function WeightExplanation({ d }: { d: InstanceDetail }) {
  const zone = useDisplayZone();
  const e = d.explanation;
  const now = d.latest?.t ?? Date.now();
  const current: Record<string, number | null | undefined> = { cpu: d.latest?.cpu, p95: d.latest?.p95, latency: d.latest?.p95, connections: d.latest?.connections, memory: d.latest?.memory };
  return (
    <section aria-label="Weight explanation" className={styles.explanation}>
      <h2 className={styles.sectionTitle}>{e ? `Why the target weight is ${fmtWeight(e.target)}` : 'Why this weight'}</h2>
      {!e ? (
        <p className="muted">No recompute recorded yet. The weight is computed on the first tick with telemetry, then on a threshold crossing or every {d.policy.weight.periodicRecomputeS} s.</p>
      ) : (
        <>
          <p className={styles.sentence}>{e.sentence}</p>
          <PenaltyBar base={e.base} target={e.target} terms={e.terms} />
          <table className={styles.inputs}>
            <caption className="visually-hidden">Inputs of the weight</caption>
            <thead>
              <tr>
                <th scope="col">Input</th>
                <th scope="col">At recompute</th>
                <th scope="col">Now</th>
                <th scope="col">Alert threshold</th>
                <th scope="col">Points off</th>
                <th scope="col">Sampled</th>
              </tr>
            </thead>
            <tbody>
              {e.terms.map((t) => {
                const cadence = CADENCE_KEY[t.input];
                const age = cadence ? d.latest?.inputAgeMs[cadence] : null;
                return (
                  <tr key={t.input}>
                    <th scope="row">{INPUT_NAME[t.input] ?? t.input}</th>
                    <td>{fmtInput(t.input, t.value)}</td>
                    <td>{fmtInput(t.input, current[t.input])}</td>
                    <td className={t.over ? styles.over : undefined}>
                      {t.threshold === null ? '—' : `${fmtInput(t.input, t.threshold)}${t.over ? ' (over)' : ''}`}
                    </td>
                    <td>{`\u2212${t.penalty < 10 ? t.penalty.toFixed(1) : Math.round(t.penalty)}`}</td>
                    <td className="muted">
                      {cadence ? `every ${d.policy.weight.cadencesS[cadence]} s` : ''}
                      {typeof age === 'number' ? `, ${formatDuration(age)} old` : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className={styles.explainFoot}>
            Recomputed at {formatTime(e.computedAt, zone)} ({now - e.computedAt < 1000 ? 'the latest tick' : `${formatDuration(now - e.computedAt)} before the latest tick`})
            {e.previousTarget !== null ? `; the target was ${fmtWeight(e.previousTarget)} before` : ''}. Model {e.model}, base {e.base}; a target changes on a threshold crossing
            (CPU {d.policy.weight.thresholds.cpuPct} %, P95 {d.policy.weight.thresholds.p95Ms} ms, {fmtCount(d.policy.weight.thresholds.connections)} connections) or every{' '}
            {d.policy.weight.periodicRecomputeS} s.
          </p>
          {d.lastCrossing && d.lastCrossing.at !== e.computedAt ? (
            <p className={styles.explainFoot}>
              Last threshold crossing: {d.lastCrossing.cause} at {formatTime(d.lastCrossing.at, zone)} (target {d.lastCrossing.from} → {d.lastCrossing.to}).
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

/** Base split into what is left (the target) and what each input took off. Decorative: the sentence says it. */
function PenaltyBar({ base, target, terms }: { base: number; target: number; terms: NonNullable<InstanceDetail['explanation']>['terms'] }) {
  if (!(base > 0)) return null;
  const pct = (v: number) => `${Math.max(0, (v / base) * 100)}%`;
  const shown = terms.filter((t) => t.penalty >= 0.05);
  return (
    <div className={styles.penaltyBar} aria-hidden="true">
      <div className={styles.penaltyTrack}>
        <span className={styles.penaltyKeep} style={{ width: pct(target) }}>
          {target >= 12 ? `target ${fmtWeight(target)}` : ''}
        </span>
        {shown.map((t, i) => (
          <span key={t.input} className={styles.penaltyPart} style={{ width: pct(t.penalty), ['--part' as string]: `var(--chart-${(i % 8) + 1})` }} title={t.text}>
            {t.penalty / base >= 0.1 ? `${SHORT[t.input] ?? t.input} \u2212${Math.round(t.penalty)}` : ''}
          </span>
        ))}
      </div>
    </div>
  );
}
