// The tick's bulk rows written the ways they were before binary COPY (issue 14): text COPY, one
// INSERT … SELECT FROM unnest(column arrays) per table, and the naive one INSERT per sample. Not
// used by the loop: kept so a test can check that binary COPY writes exactly what these wrote, and
// the benchmark can report the ratios measured in the same run.
import type pg from 'pg';
import { arrayLiteral as copyArray, copyField, copyLines } from './copy-text';
import { iso, SAMPLE_COLUMNS, type SampleRow, type TransitionRow } from './persist';

/** The samples through text COPY (what the loop wrote before binary COPY), the Tick row written by the caller. */
export async function copySamplesText(client: pg.ClientBase, tickId: bigint, at: Date, samples: readonly SampleRow[]): Promise<void> {
  const f = copyField;
  const a = iso(at);
  const lines = samples.map(
    (r) =>
      `${f(r.instanceId)}\t${a}\t${tickId}\t${f(r.up)}\t${f(r.rtMs)}\t${f(r.cpu)}\t${f(r.memory)}\t${f(r.p50Ms)}\t${f(r.p95Ms)}\t${f(r.p99Ms)}\t` +
      `${f(r.connections)}\t${f(r.rps)}\t${f(r.errorRate)}\t${f(JSON.stringify(r.inputAgeMs))}\t${f(r.targetWeight)}\t${f(r.effectiveWeight)}\t` +
      `${f(r.degradation)}\t${f(r.breaker)}\t${f(copyArray(r.stageFill))}\t${f(copyArray(r.stageState))}\t${f(r.requests)}\t` +
      `${f(r.activeRequests)}\t${f(r.maxConcurrency)}\t${f(r.ingressTimeouts)}\t${f(copyArray(r.stageInputs))}\t${f(copyArray(r.stageOutputs))}\t` +
      `${f(copyArray(r.stageBlocked))}\n`,
  );
  await copyLines(client, `COPY "TelemetrySample" (${SAMPLE_COLUMNS}) FROM STDIN`, lines);
}

/** PostgreSQL array literal of one row's array, so unnest() of an array of them stays 1-D. */
const arrayLiteral = (xs: ReadonlyArray<number | string>) => `{${xs.map((x) => (typeof x === 'number' ? String(x) : `"${x.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;

/** Samples and transitions of one tick (its Tick row written by the caller) through unnest. */
export async function persistRowsUnnest(client: pg.ClientBase, tickId: bigint, at: Date, samples: readonly SampleRow[], transitions: readonly TransitionRow[]): Promise<void> {
  if (samples.length > 0) await client.query(SAMPLE_SQL, sampleColumns(tickId.toString(), iso(at), samples));
  if (transitions.length > 0) await client.query(TRANSITION_SQL, transitionColumns(tickId.toString(), transitions));
}

const SAMPLE_SQL = `
INSERT INTO "TelemetrySample" (${SAMPLE_COLUMNS})
SELECT u.id, $1::timestamp, $2::bigint, u.up, u.rt, u.cpu, u.mem, u.p50, u.p95, u.p99, u.conn, u.rps, u.err, u.age::jsonb,
  u.tw, u.ew, u.deg, u.br, u.fill::float8[], u.st::text[], u.req, u.act, u.maxc, u.ito, u.sin::float8[], u.sout::float8[], u.sbl::bool[]
FROM unnest($3::uuid[], $4::bool[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],
  $11::float8[], $12::float8[], $13::float8[], $14::text[], $15::float8[], $16::float8[], $17::int[], $18::text[], $19::text[], $20::text[],
  $21::float8[], $22::float8[], $23::float8[], $24::float8[], $25::text[], $26::text[], $27::text[])
  AS u(id, up, rt, cpu, mem, p50, p95, p99, conn, rps, err, age, tw, ew, deg, br, fill, st, req, act, maxc, ito, sin, sout, sbl)`;

function sampleColumns(tickId: string, at: string, s: readonly SampleRow[]): unknown[] {
  const n = s.length;
  const cols = Array.from({ length: 25 }, () => new Array<unknown>(n));
  for (let i = 0; i < n; i++) {
    const r = s[i]!;
    cols[0]![i] = r.instanceId;
    cols[1]![i] = r.up;
    cols[2]![i] = r.rtMs;
    cols[3]![i] = r.cpu;
    cols[4]![i] = r.memory;
    cols[5]![i] = r.p50Ms;
    cols[6]![i] = r.p95Ms;
    cols[7]![i] = r.p99Ms;
    cols[8]![i] = r.connections;
    cols[9]![i] = r.rps;
    cols[10]![i] = r.errorRate;
    cols[11]![i] = JSON.stringify(r.inputAgeMs);
    cols[12]![i] = r.targetWeight;
    cols[13]![i] = r.effectiveWeight;
    cols[14]![i] = r.degradation;
    cols[15]![i] = r.breaker;
    cols[16]![i] = arrayLiteral(r.stageFill);
    cols[17]![i] = arrayLiteral(r.stageState);
    cols[18]![i] = r.requests;
    cols[19]![i] = r.activeRequests;
    cols[20]![i] = r.maxConcurrency;
    cols[21]![i] = r.ingressTimeouts;
    cols[22]![i] = arrayLiteral(r.stageInputs);
    cols[23]![i] = arrayLiteral(r.stageOutputs);
    cols[24]![i] = arrayLiteral(r.stageBlocked.map((b) => (b ? 1 : 0)));
  }
  return [at, tickId, ...cols];
}

const TRANSITION_SQL = `
INSERT INTO "StateTransition" (at, "tickId", "instanceId", machine, stage, "fromState", "toState", cause, "values", "trigger")
SELECT u.at::timestamp, $1::bigint, u.id, u.machine::"MachineKind", u.stage, u.f, u.t, u.cause, u.vals::jsonb, u.trig::jsonb
FROM unnest($2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
  AS u(at, id, machine, stage, f, t, cause, vals, trig)`;

function transitionColumns(tickId: string, ts: readonly TransitionRow[]): unknown[] {
  return [
    tickId,
    ts.map((t) => iso(t.at)),
    ts.map((t) => t.instanceId),
    ts.map((t) => t.machine),
    ts.map((t) => t.stage ?? ''),
    ts.map((t) => t.from),
    ts.map((t) => t.to),
    ts.map((t) => t.cause),
    ts.map((t) => JSON.stringify(t.values)),
    // What triggered a weight recompute, as the domain produced it; NULL for the other machines.
    ts.map((t) => (t.trigger ? JSON.stringify(t.trigger) : null)),
  ];
}

/**
 * The naive alternative: one INSERT per sample, so the benchmark can report the ratio
 * of batched to per-row persistence measured in the same run.
 */
export async function persistSamplesOneByOne(client: pg.ClientBase, tickId: bigint, at: Date, samples: readonly SampleRow[]): Promise<void> {
  for (const r of samples) {
    await client.query(
      `INSERT INTO "TelemetrySample" ("instanceId", at, "tickId", up, "rtMs", cpu, memory, "p50Ms", "p95Ms", "p99Ms", connections, rps,
        "errorRate", "inputAgeMs", "targetWeight", "effectiveWeight", degradation, breaker, "stageFill", "stageState",
        requests, "activeRequests", "maxConcurrency", "ingressTimeouts", "stageInputs", "stageOutputs", "stageBlocked")
       VALUES ($1, $2::timestamp, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17, $18, $19::float8[], $20::text[],
        $21, $22, $23, $24, $25::float8[], $26::float8[], $27::bool[])`,
      [r.instanceId, iso(at), tickId.toString(), r.up, r.rtMs, r.cpu, r.memory, r.p50Ms, r.p95Ms, r.p99Ms, r.connections, r.rps, r.errorRate,
        JSON.stringify(r.inputAgeMs), r.targetWeight, r.effectiveWeight, r.degradation, r.breaker, r.stageFill, r.stageState,
        r.requests, r.activeRequests, r.maxConcurrency, r.ingressTimeouts, r.stageInputs, r.stageOutputs, r.stageBlocked],
    );
  }
}
