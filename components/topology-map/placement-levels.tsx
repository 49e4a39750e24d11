'use client';

// The three levels of the placement drill-down. Plain CSS grids in the snapshot's name order, keyed
// by database id, so nothing moves when a tick changes the figures.
import Link from 'next/link';
import type { TopologyInstance } from '@/server/services/topology/topology-map';
import { weightColor } from './weight-color';
import { byNaturalName, describeSummary, instanceKey, isUnhealthy, plural, problems, weightRange, type PlacementCluster, type PlacementRegion, type PlacementZone, type Summary } from './placement-model';
import type { SearchResult } from './placement-search';
import styles from './placement-view.module.css';

export interface Marks {
  focus: string | null;
  search: SearchResult | null;
  /** Drill to a path (and optionally focus a node there). */
  go: (path: string[], focus?: string | null) => void;
}

/** The focused node is outlined; during a search, what neither matches nor leads to a match is dimmed. */
function mark(key: string, m: Marks, base: string | undefined) {
  const focused = m.focus === key;
  const dimmed = !focused && !!m.search && !m.search.matched.has(key) && !m.search.within.has(key);
  return {
    className: [base, focused ? styles.focused : '', dimmed ? styles.dim : ''].filter(Boolean).join(' '),
    'data-key': key,
    'data-focused': focused || undefined,
    'data-dimmed': dimmed || undefined,
  };
}

/** Weight bands 0–100 as one bar: how the cluster's instances spread, without drawing each one. */
function Bands({ s }: { s: Summary }) {
  if (!s.sampled) return <span className={styles.bandsEmpty} aria-hidden="true" />;
  return (
    <span className={styles.bands} aria-hidden="true">
      {s.bands.map((n, b) => (n ? <span key={b} style={{ flexGrow: n, background: weightColor(b * 20 + 10) }} /> : null))}
    </span>
  );
}

function Problems({ s }: { s: Summary }) {
  const p = problems(s);
  if (!p.length) return <span className={styles.ok}>{s.sampled ? 'all healthy' : 'no telemetry yet'}</span>;
  return <span className={styles.bad}>{p.join(' · ')}</span>;
}

function ClusterCard({ c, m, worst = 0 }: { c: PlacementCluster; m: Marks; worst?: number }) {
  const shown = worst ? worstInstances(c.instances, worst) : [];
  return (
    <li {...mark(c.key, m, styles.card)}>
      <button type="button" className={styles.cardButton} aria-label={`Cluster ${c.name}, ${describeSummary(c.summary)}`} onClick={() => m.go(c.path)}>
        <span className={styles.cardName}>{c.name}</span>
        <span className={styles.cardLine}>
          {plural(c.summary.instances, 'instance')} · {weightRange(c.summary)}
        </span>
        <span className={styles.cardLine}>
          <Problems s={c.summary} />
        </span>
        <Bands s={c.summary} />
      </button>
      {shown.length ? (
        <ul className={styles.worst} aria-label={`Lowest weights in ${c.name}`}>
          {shown.map((i) => (
            <li key={i.id}>
              <Link href={`/instances/${encodeURIComponent(i.name)}`}>{i.name}</Link> <span className={styles.muted}>{instanceFacts(i)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function worstInstances(instances: readonly TopologyInstance[], n: number): TopologyInstance[] {
  return [...instances]
    .filter((i) => i.effectiveWeight !== null)
    .sort((a, b) => Number(isUnhealthy(b)) - Number(isUnhealthy(a)) || a.effectiveWeight! - b.effectiveWeight! || byNaturalName(a, b))
    .slice(0, n);
}

function instanceFacts(i: TopologyInstance): string {
  if (i.effectiveWeight === null) return 'no telemetry yet';
  const parts = [`weight ${Math.round(i.effectiveWeight)}`];
  if ((i.degradation ?? 0) > 0) parts.push(`L${i.degradation}`);
  if (i.breaker === 'open' || i.breaker === 'half-open') parts.push(`breaker ${i.breaker}`);
  if (i.up === false) parts.push('down');
  if ((i.blockedStages ?? 0) > 0) parts.push(`${i.blockedStages} stage${i.blockedStages === 1 ? '' : 's'} backpressured`);
  if (i.fault) parts.push(`fault ${i.fault.kind} (${i.fault.run})`);
  return parts.join(' · ');
}

function GroupHeading({ kind, name, s, onOpen, level }: { kind: 'Region' | 'Zone'; name: string; s: Summary; onOpen: () => void; level: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <H className={level === 2 ? styles.regionTitle : styles.zoneTitle}>
      <button type="button" className={styles.titleButton} aria-label={`${kind} ${name}, ${describeSummary(s)}`} onClick={onOpen}>
        <span className={styles.groupName}>{name}</span>
        <span className={styles.groupAgg}>
          {plural(s.instances, 'instance')} · {weightRange(s)} · <Problems s={s} />
        </span>
      </button>
    </H>
  );
}

function ZoneBlock({ z, m, worst }: { z: PlacementZone; m: Marks; worst?: number }) {
  return (
    <section {...mark(z.key, m, styles.zone)} aria-label={`Zone ${z.name}`}>
      <GroupHeading kind="Zone" name={z.name} s={z.summary} onOpen={() => m.go(z.path)} level={3} />
      {z.clusters.length ? (
        <ul className={worst ? styles.bigCards : styles.cards}>
          {z.clusters.map((c) => (
            <ClusterCard key={c.id} c={c} m={m} worst={worst} />
          ))}
        </ul>
      ) : (
        <p className={styles.muted}>No clusters in this zone.</p>
      )}
    </section>
  );
}

export function FleetLevel({ regions, marks }: { regions: PlacementRegion[]; marks: Marks }) {
  return (
    <div className={styles.fleet}>
      {regions.map((r) => (
        <section key={r.id} {...mark(r.key, marks, styles.region)} aria-label={`Region ${r.name}`}>
          <GroupHeading kind="Region" name={r.name} s={r.summary} onOpen={() => marks.go(r.path)} level={2} />
          {r.zones.length ? (
            <div className={styles.zones}>
              {r.zones.map((z) => (
                <ZoneBlock key={z.id} z={z} m={marks} />
              ))}
            </div>
          ) : (
            <p className={styles.muted}>No zones in this region.</p>
          )}
        </section>
      ))}
    </div>
  );
}

export function ZoneLevel({ zone, marks }: { zone: PlacementZone; marks: Marks }) {
  return <ZoneBlock z={zone} m={marks} worst={3} />;
}

export function ClusterLevel({ cluster, marks }: { cluster: PlacementCluster; marks: Marks }) {
  const c = cluster;
  return (
    <section {...mark(c.key, marks, styles.cluster)} aria-label={`Cluster ${c.name}`}>
      <h3 className={styles.zoneTitle}>
        <span className={styles.groupName}>{c.name}</span>
        <span className={styles.groupAgg}>
          {plural(c.summary.instances, 'instance')} · {weightRange(c.summary)} · <Problems s={c.summary} /> ·{' '}
          <Link href={`/clusters/${encodeURIComponent(c.name)}`}>cluster page</Link>
        </span>
      </h3>
      {c.instances.length ? (
        <ul className={styles.tiles} aria-label={`Instances of ${c.name}`}>
          {c.instances.map((i) => (
            <InstanceTile key={i.id} i={i} m={marks} />
          ))}
        </ul>
      ) : (
        <p className={styles.muted}>No instances here.</p>
      )}
    </section>
  );
}

function InstanceTile({ i, m }: { i: TopologyInstance; m: Marks }) {
  const key = instanceKey(i);
  const deg = (i.degradation ?? 0) > 0 ? `L${i.degradation}` : null;
  const breaker = i.breaker === 'open' || i.breaker === 'half-open' ? i.breaker : null;
  const aria = [`Instance ${i.name}`, instanceFacts(i), `${i.service} ${i.appVersion}`, ...(i.adminState !== 'ready' ? [i.adminState] : [])].join(', ');
  return (
    <li {...mark(key, m, styles.tileItem)}>
      <Link href={`/instances/${encodeURIComponent(i.name)}`} className={styles.tile} style={{ background: weightColor(i.effectiveWeight) }} aria-label={aria} title={aria}>
        <span className={styles.tileName}>{i.name}</span>
        <span className={styles.tileLine}>
          {i.effectiveWeight === null ? 'no telemetry' : `w ${Math.round(i.effectiveWeight)}`} · {i.service} {i.appVersion}
          {i.adminState !== 'ready' ? ` · ${i.adminState}` : ''}
        </span>
        {deg || breaker || i.up === false || i.blockedStages || i.fault ? (
          <span className={styles.tileMarks} aria-hidden="true">
            {deg ? <span className={styles.mark}>{deg}</span> : null}
            {breaker ? <span className={`${styles.mark} ${breaker === 'open' ? styles.open : styles.half}`}>{breaker}</span> : null}
            {i.up === false ? <span className={`${styles.mark} ${styles.down}`}>down</span> : null}
            {i.blockedStages ? <span className={styles.mark}>{i.blockedStages} blocked</span> : null}
            {i.fault ? <span className={`${styles.mark} ${styles.fault}`}>fault: {i.fault.kind}</span> : null}
          </span>
        ) : null}
      </Link>
    </li>
  );
}
