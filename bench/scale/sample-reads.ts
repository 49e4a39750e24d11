// Reads of one tick's samples (issue 14): TelemetrySample's primary key is (instanceId, at) and
// `at` has a BRIN index; `tickId` has none, so a statement that picks a tick's samples by tickId
// alone reads the whole raw window. The readers now also match `at` (the tick's startedAt). Each
// statement runs as shipped ("after") and with the `at` term taken out ("before"), alternating in
// the same run over SCALE_READ_TICKS ticks of the whole fleet (default 30), under EXPLAIN
// (ANALYZE): the server's execution time (no network, no parsing in node) and how TelemetrySample
// was read. Ratio = before p50 / after p50.
import { LAST_SAMPLES_SQL } from '../../server/jobs/telemetry/fleet';
import { serviceInstancesNowSql } from '../../server/services/rollouts/guard-inputs';
import { latestTickSampleText } from '../../server/services/telemetry/telemetry-sql';
import { topologyMapSql } from '../../server/services/topology/topology-map';
import { syntheticFleet } from '../fleets';
import { summary } from '../lib';
import { benchFleet, benchSample, commitTick } from './lib/bench-fleet';
import type { Figures } from '../scale.bench';

const TICKS = Number(process.env.SCALE_READ_TICKS ?? 30);
const ROUNDS = 7;

const sample = (instanceId: string, i: number, k: number) =>
  benchSample(instanceId, { p95Ms: 40 + (i % 50), effectiveWeight: 40 + ((i + k) % 20), degradation: (i + k) % 41 === 0 ? 1 : 0 });

/** `text` with `term` taken out; throws when it is not there (the bench would compare a statement with itself). */
function without(text: string, term: string, by = ''): string {
  if (!text.includes(term)) throw new Error(`sample-reads: the statement no longer contains ${JSON.stringify(term)}`);
  return text.replace(term, by);
}

interface Plan {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: Plan[];
}
const sampleScans = (p: Plan): string[] => [
  ...(p['Relation Name'] === 'TelemetrySample' ? [p['Node Type']] : []),
  ...(p.Plans ?? []).flatMap(sampleScans),
];

export async function measure(instances: number): Promise<Figures> {
  if (!Number.isInteger(TICKS) || TICKS < 1) throw new Error(`SCALE_READ_TICKS: expected a whole number (got ${process.env.SCALE_READ_TICKS})`);
  const { db, client, services, stop } = await benchFleet(syntheticFleet(instances), 2);
  try {
    const fleet = await db.instance.findMany({ select: { id: true } });
    const base = Math.floor(Date.now() / 1000) * 1000 - TICKS * 1000;
    for (let k = 0; k < TICKS; k++) {
      const at = new Date(base + k * 1000);
      await commitTick(client, at, fleet.map((f, i) => sample(f.id, i, k)));
    }
    await client.query('VACUUM ANALYZE');

    const topo = topologyMapSql(null);
    const guard = serviceInstancesNowSql(services[0]!.id);
    const latest = latestTickSampleText('s');
    const byTickId = `s."tickId" = (SELECT max(id) FROM "Tick")`;
    const statements: Record<string, { after: string; before: string; values: unknown[] }> = {
      topologyMap: { after: topo.text, before: without(topo.text, 'ts.at = (SELECT "startedAt" FROM t) AND ts."tickId" = (SELECT id FROM t)', 'ts."tickId" = (SELECT id FROM t)'), values: topo.values },
      lastSamples: { after: LAST_SAMPLES_SQL, before: without(LAST_SAMPLES_SQL, latest, byTickId), values: [] },
      serviceGuards: { after: guard.text, before: without(guard.text, latest, byTickId), values: guard.values },
    };

    const out: Figures = { instances: fleet.length, ticks: TICKS, samples: fleet.length * TICKS, rounds: ROUNDS };
    for (const [name, s] of Object.entries(statements)) {
      const ms = { before: [] as number[], after: [] as number[] };
      const scans = { before: '', after: '' };
      const rows = { before: 0, after: 0 };
      for (let r = 0; r < ROUNDS + 1; r++) {
        // Alternate which goes first so neither always finds the cache the other warmed.
        for (const v of r % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)) {
          const { rows: res } = await client.query<{ 'QUERY PLAN': Array<{ Plan: Plan & { 'Actual Rows': number }; 'Execution Time': number }> }>(
            `EXPLAIN (ANALYZE, FORMAT JSON) ${s[v]}`,
            s.values,
          );
          const e = res[0]!['QUERY PLAN'][0]!;
          if (r === 0) continue; // warm-up
          ms[v].push(e['Execution Time']);
          scans[v] = [...new Set(sampleScans(e.Plan))].join(' + ');
          rows[v] = e.Plan['Actual Rows'];
        }
      }
      if (rows.before !== rows.after) throw new Error(`sample-reads: ${name} returned ${rows.after} rows, ${rows.before} before`);
      const b = summary(ms.before).p50;
      const a = summary(ms.after).p50;
      out[name] = { rows: rows.after, beforeP50Ms: b, afterP50Ms: a, beforeToAfterRatio: Math.round((b / a) * 10) / 10, beforeScan: scans.before, afterScan: scans.after };
    }
    return out;
  } finally {
    await stop();
  }
}
