// /metrics scrape time on the demo fleet with a day's worth of history behind it: the web
// answer (process metrics + the one statement of database figures), as Prometheus would ask.
import { createDb, pgPool } from '../server/db/client';
import { makeFleet } from '../server/db/factories';
import { webMetricsResponse } from '../server/metrics/exposition';
import { demoFleet } from '../prisma/demo-fleet';
import { benchDatabase, summary } from './lib';

const HISTORY = { ticks: 21_600, rollouts: 500, runs: 500, injections: 5_000, deliveries: 10_000, jobs: 1_000 };

export async function run(): Promise<Record<string, unknown>> {
  const database = await benchDatabase();
  const db = createDb(database.url, 4);
  try {
    await makeFleet(db, demoFleet);
    const pool = pgPool(db);
    const service = await db.service.findFirstOrThrow();
    const instance = await db.instance.findFirstOrThrow();
    // History as the tables hold it after days of use (the raw tick window: 6 h at 1 s).
    await pool.query(`INSERT INTO "Tick" ("startedAt","finishedAt","durationMs",instances,leader)
      SELECT now() - make_interval(secs => g), now() - make_interval(secs => g) + interval '40 ms', 40, 84, 'bench' FROM generate_series(1, $1) g`, [HISTORY.ticks]);
    // Finished ones (one active rollout per service at most; the history is what grows).
    await pool.query(`INSERT INTO "Rollout" (id,"serviceId",name,"stableVersion","canaryVersion",spec,state,"createdByName","updatedAt")
      SELECT gen_random_uuid(), $1, 'bench ' || g, 'v1', 'v2', '{}', 'succeeded', 'bench', now() FROM generate_series(1, $2) g`, [service.id, HISTORY.rollouts]);
    const exp = await db.experiment.create({ data: { name: 'bench metrics', spec: {}, createdByName: 'bench' } });
    await pool.query(`INSERT INTO "ExperimentRun" (id,"experimentId",number,spec,"experimentVersion",state,"startedByName","updatedAt","endedAt")
      SELECT gen_random_uuid(), $1, g, '{}', 1, (CASE WHEN g % 3 = 0 THEN 'failed' ELSE 'completed' END)::"ExperimentRunState", 'bench', now(), now() FROM generate_series(1, $2) g`, [exp.id, HISTORY.runs]);
    const run = await db.experimentRun.findFirstOrThrow();
    await pool.query(`INSERT INTO "Injection" (id,"runId","instanceId",spec,"adapterKind","leaseExpiresAt","expiresAt","injectedAt","removedAt","removeReason",desired)
      SELECT gen_random_uuid(), $1, $2, jsonb_build_object('kind', CASE WHEN g % 2 = 0 THEN 'delay' ELSE 'http-error' END), 'sim', now(), now() + interval '1 hour', now(),
        CASE WHEN g % 100 = 0 THEN NULL ELSE now() END, CASE WHEN g % 100 = 0 THEN NULL ELSE 'completed' END::"InjectionRemoveReason", g % 100 = 0
      FROM generate_series(1, $3) g`, [run.id, instance.id, HISTORY.injections]);
    const sub = await db.webhookSubscription.create({ data: { name: 'bench', url: 'http://127.0.0.1:9/', events: ['halt_engaged'], secret: 'x'.repeat(32), createdByName: 'bench' } });
    await pool.query(`INSERT INTO "WebhookDelivery" (id,"subscriptionId",event,payload,state,"deliveredAt")
      SELECT gen_random_uuid(), $1, 'halt_engaged', '{}', CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'delivered' END::"WebhookDeliveryState", CASE WHEN g % 10 = 0 THEN NULL ELSE now() END FROM generate_series(1, $2) g`, [sub.id, HISTORY.deliveries]);
    await pool.query(`SELECT graphile_worker.add_job('rollout_reconcile', json_build_object('rolloutId', gen_random_uuid()), run_at => now() + interval '1 hour') FROM generate_series(1, $1)`, [HISTORY.jobs]);
    await pool.query('ANALYZE');

    const scrape = async () => {
      const t0 = performance.now();
      const res = await webMetricsResponse({ authorization: null, token: undefined, db: pool, deadlineMs: 10_000 });
      const text = await res.text();
      return { ms: performance.now() - t0, bytes: text.length, up: /^switchback_database_up 1$/m.test(text) };
    };
    for (let i = 0; i < 5; i++) await scrape();
    const times: number[] = [];
    let last = await scrape();
    for (let i = 0; i < 100; i++) {
      last = await scrape();
      if (!last.up) throw new Error('the database figures were not read');
      times.push(last.ms);
    }
    return { bench: 'metrics', fleet: 'demo (84 instances)', history: HISTORY, scrapeMs: summary(times), bytes: last.bytes };
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}
