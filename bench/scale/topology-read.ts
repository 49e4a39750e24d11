// The topology map read (getTopologyMap) at fleet size, end to end in node: the statements, the
// rows into JS and the map assembled. "before" is the former path (one statement, topologyMapSql,
// through Prisma's $queryRaw), "after" the shipped one (getTopologyMap); "oneStatementViaPg" the
// former statement through the pg pool (the first step). They alternate in the same run over
// SCALE_READ_TICKS ticks of the whole fleet and must give the same map. The former statement's
// own server time and its sort come from EXPLAIN (ANALYZE, TIMING OFF); rowsOnly / without ORDER
// BY: its rows through pg without assembling the map, with and without its ORDER BY.
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { pgPool } from '../../server/db/client';
import { assembleTopology, getTopologyMap, topologyMapSql, type TopologyMapRow } from '../../server/services/topology/topology-map';
import { syntheticFleet } from '../fleets';
import { summary } from '../lib';
import { benchFleet, benchSample, commitTick } from './lib/bench-fleet';
import type { Figures } from '../scale.bench';

const TICKS = Number(process.env.SCALE_READ_TICKS ?? 30);
const ROUNDS = 7;

interface Plan {
  'Node Type': string;
  'Sort Method'?: string;
  'Sort Space Type'?: string;
  'Actual Total Time'?: number;
  Plans?: Plan[];
}
const sorts = (p: Plan): string[] => [
  ...(p['Node Type'].includes('Sort') ? [`${p['Node Type']} ${p['Sort Method'] ?? ''} (${p['Sort Space Type'] ?? ''}) ${p['Actual Total Time']} ms`] : []),
  ...(p.Plans ?? []).flatMap(sorts),
];

export async function measure(instances: number): Promise<Figures> {
  if (!Number.isInteger(TICKS) || TICKS < 1) throw new Error(`SCALE_READ_TICKS: expected a whole number (got ${process.env.SCALE_READ_TICKS})`);
  const { db, client, stop } = await benchFleet(syntheticFleet(instances), 4);
  try {
    const fleet = await db.instance.findMany({ select: { id: true } });
    const base = Math.floor(Date.now() / 1000) * 1000 - TICKS * 1000;
    for (let k = 0; k < TICKS; k++) {
      const at = new Date(base + k * 1000);
      await commitTick(client, at, fleet.map((f, i) => benchSample(f.id, { effectiveWeight: 40 + ((i + k) % 20) + 0.5, degradation: (i + k) % 41 === 0 ? 1 : 0 })));
    }
    await client.query('VACUUM ANALYZE');

    const before = async () => assembleTopology(await db.$queryRaw<TopologyMapRow[]>(topologyMapSql(null)));
    const after = () => getTopologyMap(db);
    const viaPg = async () => {
      const q = topologyMapSql(null);
      return assembleTopology((await pgPool(db).query<TopologyMapRow>(q.text, q.values)).rows);
    };
    // Attribution only: the rows through pg without assembling the map, and the same without the
    // ORDER BY (what the sort costs end to end).
    const pool = pgPool(db);
    const sql0 = topologyMapSql(null);
    const rowsOnly = async () => (await pool.query(sql0.text, sql0.values)).rowCount;
    const unsorted = sql0.text.replace(/ORDER BY r\.name, z\.name, c\.name, i\.name\s*$/, '');
    if (unsorted === sql0.text) throw new Error('topology-read: the statement no longer ends with its ORDER BY');
    const noSort = async () => (await pool.query(unsorted, sql0.values)).rowCount;
    const ms = { before: [] as number[], after: [] as number[], viaPg: [] as number[], sql: [] as number[], rowsOnly: [] as number[], noSort: [] as number[] };
    let sortNodes: string[] = [];
    for (let r = 0; r < ROUNDS + 1; r++) {
      const got: Record<string, unknown> = {};
      for (const [v, read] of r % 2 ? ([['after', after], ['before', before]] as const) : ([['before', before], ['after', after]] as const)) {
        const t0 = performance.now();
        got[v] = await read();
        if (r > 0) ms[v].push(performance.now() - t0);
      }
      for (const [v, read] of [['viaPg', viaPg], ['rowsOnly', rowsOnly], ['noSort', noSort]] as const) {
        const t0 = performance.now();
        await read();
        if (r > 0) ms[v].push(performance.now() - t0);
      }
      if (!isDeepStrictEqual(got.before, got.after)) throw new Error('topology-read: the two paths gave different maps');
      const sql = topologyMapSql(null);
      const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: Plan; 'Execution Time': number }> }>(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql.text}`, sql.values);
      if (r > 0) ms.sql.push(rows[0]!['QUERY PLAN'][0]!['Execution Time']);
      sortNodes = sorts(rows[0]!['QUERY PLAN'][0]!.Plan);
    }
    const b = summary(ms.before).p50;
    const a = summary(ms.after).p50;
    return {
      instances: fleet.length,
      ticks: TICKS,
      rounds: ROUNDS,
      beforeP50Ms: b,
      afterP50Ms: a,
      beforeToAfterRatio: Math.round((b / a) * 10) / 10,
      oneStatementViaPgP50Ms: summary(ms.viaPg).p50,
      statementP50Ms: summary(ms.sql).p50,
      rowsOnlyP50Ms: summary(ms.rowsOnly).p50,
      rowsWithoutOrderByP50Ms: summary(ms.noSort).p50,
      sort: sortNodes.join('; '),
      loadAverage: loadavg()[0]!,
    };
  } finally {
    await stop();
  }
}
