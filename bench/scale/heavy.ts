// Heavy reads at fleet scale (issue 14): the placement page's snapshot (topologyMap.snapshot) and
// the timeline's default query, against a fleet whose real telemetry loop ticks every second.
//  - snapshot: one read in process (ms; the statements' own PostgreSQL time from EXPLAIN ANALYZE)
//    and one through the web process (ms, bytes);
//  - tabs: SCALE_HEAVY_TABS (6) tabs opening the placement page at once (a snapshot each, then the
//    live topology feed from its tick) and kept open SCALE_HEAVY_HOLD_TICKS ticks: the snapshots'
//    p50 / max and 503s, the feeds' messages, and the ticks the loop skipped or ran long meanwhile
//    (beside `idle`: as many ticks just before, with no tab open);
//  - timeline: listTimelineEvents over the default 5 minutes with ~10.5 transitions per instance
//    per 5 minutes (a weight recompute every 30 s plus some stage / breaker ones), beside the former
//    transitions statement (rankedTransitionsP50Ms: row_number() over every match) in turn.
// The web process is the one lib/live-fleet.ts starts (SCALE_WEB); load is reported beside figures.
import { loadavg } from 'node:os';
import pg from 'pg';
import { pgPool } from '../../server/db/client';
import { getTopologyMap, TOPOLOGY_STATEMENTS } from '../../server/services/topology/topology-map';
import { listTimelineEvents } from '../../server/services/timeline/timeline';
import { summary } from '../lib';
import type { Figures } from '../scale.bench';
import { liveFleet, startWeb, until, webKind, type LiveFleet } from './lib/live-fleet';
import { openStream } from './lib/sse-stream';

const TABS = Number(process.env.SCALE_HEAVY_TABS ?? 6);
const HOLD = Number(process.env.SCALE_HEAVY_HOLD_TICKS ?? 15);
const load = () => Math.round(loadavg()[0]! * 100) / 100;
const ms = (t0: number) => Math.round(performance.now() - t0);

/** The statements' execution time inside PostgreSQL (EXPLAIN ANALYZE without per-node timing). */
async function statementMs(fleet: LiveFleet): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const client = await pgPool(fleet.db).connect();
  try {
    for (const [name, s] of Object.entries(TOPOLOGY_STATEMENTS)) {
      const values = s.includes('$1') ? [null] : [];
      const { rows } = await client.query<{ 'QUERY PLAN': Array<{ 'Execution Time': number }> }>(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${s}`, values);
      out[name] = Math.round(rows[0]!['QUERY PLAN'][0]!['Execution Time']);
    }
  } finally {
    client.release();
  }
  return out;
}

/** ~10.5 state transitions per instance over the last 5 minutes, as the loop writes them at 10,000. */
async function seedTransitions(fleet: LiveFleet): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const tick = fleet.ticks[fleet.ticks.length - 1]!;
  // Its own connection, without the app's statement timeout (a loaded machine took over 5 s at 10,000).
  const client = new pg.Client({ connectionString: fleet.url });
  await client.connect();
  try {
    const { rowCount } = await client.query(`
    INSERT INTO "StateTransition" (at, "tickId", "instanceId", machine, stage, "fromState", "toState", cause)
    SELECT to_timestamp($1::float8 - g * 30 - (hashtext(i.id::text) & 15)) AT TIME ZONE 'UTC', $2::bigint, i.id,
      (CASE WHEN g = 10 AND hashtext(i.id::text) % 2 = 0 THEN 'stage' WHEN g = 10 THEN 'breaker' ELSE 'weight' END)::"MachineKind",
      CASE WHEN g = 10 THEN 'execution' ELSE '' END, '70', '65', 'periodic recompute (every 30 s)'
    FROM "Instance" i CROSS JOIN generate_series(0, 10) g`, [now, tick]);
    await client.query('ANALYZE "StateTransition"');
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** The transitions statement before the per-machine LIMIT (row_number() over every match), for A/B. */
async function rankedTransitions(fleet: LiveFleet, now: number): Promise<number> {
  const from = new Date(now - 5 * 60_000);
  const to = new Date(now);
  const rows = await fleet.db.$queryRaw<unknown[]>`
    WITH m AS (
      SELECT t.id, t."instanceId", count(*) OVER () AS total, row_number() OVER (PARTITION BY t.machine ORDER BY t.at DESC, t.id DESC) AS rn
      FROM "StateTransition" t JOIN "Instance" i ON i.id = t."instanceId" JOIN "Cluster" c ON c.id = i."clusterId"
      WHERE t.at >= ${from} AND t.at <= ${to} AND t.machine::text = ANY(${['stage', 'degradation', 'breaker', 'weight']}::text[]) AND TRUE)
    SELECT t.id, t.at, t.machine::text AS machine, t.stage, t."fromState", t."toState", t.cause, t."trigger", i.name, m.total
    FROM m JOIN "StateTransition" t ON t.id = m.id JOIN "Instance" i ON i.id = m."instanceId"
    WHERE m.rn <= 500 ORDER BY t.at DESC, t.id DESC`;
  return rows.length;
}

export async function measure(instances: number): Promise<Figures> {
  if (!(TABS >= 1 && HOLD >= 1)) throw new Error('SCALE_HEAVY_TABS and SCALE_HEAVY_HOLD_TICKS: whole numbers ≥ 1');
  const fleet = await liveFleet(instances, 1000);
  const abort = new AbortController();
  let web: Awaited<ReturnType<typeof startWeb>> | null = null;
  try {
    await until(() => fleet.ticks.length >= 3, 300_000, 'the first ticks');
    web = await startWeb(fleet);
    const w = web;
    const out: Figures = { web: webKind(), instances: await fleet.db.instance.count() };

    // One read in process, twice (the second is the figure: the first warms the caches).
    let t0 = performance.now();
    try {
      await getTopologyMap(fleet.db);
      t0 = performance.now();
      const map = await getTopologyMap(fleet.db);
      out.snapshot = { inProcessMs: ms(t0), jsonBytes: JSON.stringify(map).length, statementMs: await statementMs(fleet), load: load() };
    } catch (err) {
      out.snapshot = { error: err instanceof Error ? err.message.trim().split('\n').pop()! : String(err), afterMs: ms(t0), load: load() };
    }

    const get = async () => {
      const t = performance.now();
      const res = await fetch(`${w.base}/api/trpc/topologyMap.snapshot`, { headers: { cookie: w.cookie } });
      const body = await res.text();
      const tickId = res.ok ? ((JSON.parse(body) as { result: { data: { json: { tickId: string | null } } } }).result.data.json.tickId) : null;
      return { status: res.status, ms: performance.now() - t, bytes: Buffer.byteLength(body), tickId, body: res.ok ? '' : body.slice(0, 200) };
    };
    const one = await get();
    out.http = { status: one.status, ms: Math.round(one.ms), bytes: one.bytes, load: load() };

    // The same number of ticks with no tab open: what the machine's own load does to the tick.
    const idle0 = fleet.ticks.length;
    const idleSkipped0 = fleet.skipped();
    await until(() => fleet.ticks.length >= idle0 + HOLD, 600_000, `${HOLD} ticks with no tab open`);
    const idle = fleet.tickDurations.slice(idle0);
    out.idle = { ticks: idle.length, skippedSlots: fleet.skipped() - idleSkipped0, tickMs: { p50: Math.round(summary(idle).p50), max: Math.round(Math.max(...idle)) }, load: load() };

    // The tabs: all snapshots at once, each then opening the live feed from its snapshot's tick.
    const tick0 = fleet.ticks.length;
    const skipped0 = fleet.skipped();
    const l0 = load();
    const streams: Array<ReturnType<typeof openStream>> = [];
    const answers = await Promise.all(Array.from({ length: TABS }, async () => {
      const a = await get();
      if (a.status === 200) streams.push(openStream(w, 'topologyMap.live', { lastEventId: a.tickId }, abort.signal));
      return a;
    }));
    const burstTicks = fleet.ticks.length - tick0;
    await until(() => fleet.ticks.length >= tick0 + HOLD, 600_000, `${HOLD} ticks with the tabs open`);
    const during = fleet.tickDurations.slice(tick0);
    const lag = fleet.ticks.length ? BigInt(fleet.ticks[fleet.ticks.length - 1]!) : 0n;
    const answered = answers.filter((a) => a.status === 200);
    const staleness = answered.map((a) => Number(BigInt(fleet.ticks[tick0 - 1]!) - BigInt(a.tickId ?? '0')));
    out.tabs = {
      tabs: TABS,
      snapshotMs: { p50: Math.round(summary(answers.map((a) => a.ms)).p50), max: Math.round(Math.max(...answers.map((a) => a.ms))) },
      status503: answers.filter((a) => a.status === 503).length,
      otherErrors: answers.filter((a) => a.status !== 200 && a.status !== 503).length,
      firstError: answers.find((a) => a.status !== 200)?.body ?? null,
      // How many ticks older than the newest when the burst began each answer was (≤ 0: as new or newer).
      ticksBehindAtStart: Math.max(...staleness, 0),
      ticksDuringBurst: burstTicks,
      ticksHeld: during.length,
      skippedSlots: fleet.skipped() - skipped0,
      tickMs: { p50: Math.round(summary(during).p50), max: Math.round(Math.max(...during)) },
      feeds: { failed: streams.filter((s) => s.failed !== null).length, firstFailure: streams.find((s) => s.failed !== null)?.failed ?? null, snapshots: streams.reduce((n, s) => n + s.snapshots, 0), deltas: streams.reduce((n, s) => n + s.deltas, 0), kb: Math.round(streams.reduce((n, s) => n + s.bytes, 0) / 1000) },
      newestTick: String(lag),
      load: { before: l0, after: load() },
    };
    abort.abort();

    const rows = await seedTransitions(fleet);
    const times: number[] = [];
    const rankedMs: number[] = [];
    let events = 0;
    const failures: string[] = [];
    for (let r = 0; r < 6; r++) {
      const now = Date.now();
      // The former transitions statement, alternating with the whole query in the same session.
      t0 = performance.now();
      await rankedTransitions(fleet, now).catch((err: unknown) => failures.push(`ranked: ${err instanceof Error ? err.message.trim().split('\n').pop()! : String(err)}`));
      if (r > 0) rankedMs.push(performance.now() - t0);
      t0 = performance.now();
      const got = await listTimelineEvents(fleet.db, { from: now - 5 * 60_000, to: now }).catch((err: unknown) => (err instanceof Error ? err.message.trim().split('\n').pop()! : String(err)));
      if (typeof got === 'string') failures.push(got);
      else {
        if (r > 0) times.push(performance.now() - t0);
        events = got.total;
      }
    }
    out.timeline = { seededRows: rows, matching: events, p50Ms: Math.round(summary(times).p50), maxMs: Math.round(Math.max(...times)), rankedTransitionsP50Ms: Math.round(summary(rankedMs).p50), failed: failures.length, firstFailure: failures[0] ?? null, load: load() };
    return out;
  } finally {
    abort.abort();
    await web?.stop();
    await fleet.stop();
  }
}
