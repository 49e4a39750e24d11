// What the web process's /metrics reads from PostgreSQL at scrape time: the state of the whole
// installation (every worker's jobs, every rollout), not of one process. One statement, one round
// trip, aggregates only (indexed or small tables), with a deadline: a slow or failing database
// makes the scrape answer `switchback_database_up 0` — never a 500, never SQL text.
import { Counter, Gauge, Registry } from 'prom-client';

/** The queryable part of a pg.Pool. */
export interface Queryable {
  query(sql: string): Promise<{ rows: Array<Record<string, unknown>> }>;
}

export const ROLLOUT_STATES = ['pending', 'progressing', 'paused', 'promoting', 'succeeded', 'aborted', 'rolled_back'] as const;
export const RUN_STATES = ['pending', 'injecting', 'running', 'recovering', 'completed', 'aborted', 'failed', 'skipped'] as const;
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export const JOB_STATES = ['ready', 'scheduled', 'locked', 'failed'] as const;

type Counts = Record<string, number>;
export interface DatabaseFigures {
  rollouts: Counts;
  runs: Counts;
  deliveries: Counts;
  /** task → state → count */
  jobs: Record<string, Counts>;
  /** fault kind → faults on the platform now (injected, not removed) */
  faultsActive: Counts;
  /** fault kind → faults ever confirmed injected (rows kept by retention) */
  faultsInjected: Counts;
  haltEngaged: boolean;
  haltsEngagedTotal: number;
  /** Seconds since the last committed telemetry tick; null before the first one. */
  lastTickAgeSeconds: number | null;
}

// Group-by results come back as JSON objects (state → count) so one statement answers everything.
// Job states are mutually exclusive: locked (a worker runs it), failed (no attempts left),
// scheduled (due later, retries waiting out their backoff included), ready (due now, unclaimed).
// Task and fault-kind labels come from code-defined names; LIMIT bounds them all the same.
export const FIGURES_SQL = `
SELECT
  (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT state::text, count(*)::int n FROM "Rollout" GROUP BY 1) s) AS rollouts,
  (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT state::text, count(*)::int n FROM "ExperimentRun" GROUP BY 1) s) AS runs,
  (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT state::text, count(*)::int n FROM "WebhookDelivery" GROUP BY 1) s) AS deliveries,
  (SELECT coalesce(json_agg(j), '[]') FROM (
     SELECT t.identifier AS task,
       count(*) FILTER (WHERE x.locked_at IS NOT NULL)::int AS locked,
       count(*) FILTER (WHERE x.locked_at IS NULL AND x.attempts >= x.max_attempts)::int AS failed,
       count(*) FILTER (WHERE x.locked_at IS NULL AND x.attempts < x.max_attempts AND x.run_at > now())::int AS scheduled,
       count(*) FILTER (WHERE x.locked_at IS NULL AND x.attempts < x.max_attempts AND x.run_at <= now())::int AS ready
     FROM graphile_worker._private_jobs x JOIN graphile_worker._private_tasks t ON t.id = x.task_id
     GROUP BY t.identifier ORDER BY t.identifier LIMIT 100) j) AS jobs,
  (SELECT coalesce(json_object_agg(kind, n), '{}') FROM (
     SELECT coalesce(spec->>'kind', 'unknown') AS kind, count(*)::int n FROM "Injection"
     WHERE "injectedAt" IS NOT NULL AND "removedAt" IS NULL GROUP BY 1 ORDER BY 1 LIMIT 50) s) AS faults_active,
  (SELECT coalesce(json_object_agg(kind, n), '{}') FROM (
     SELECT coalesce(spec->>'kind', 'unknown') AS kind, count(*)::int n FROM "Injection"
     WHERE "injectedAt" IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 50) s) AS faults_injected,
  EXISTS (SELECT 1 FROM "Halt" WHERE "releasedAt" IS NULL) AS halt_engaged,
  (SELECT count(*)::int FROM "Halt") AS halts_total,
  (SELECT extract(epoch FROM now() - "finishedAt")::float8 FROM "Tick" ORDER BY id DESC LIMIT 1) AS last_tick_age`;

const counts = (v: unknown): Counts => {
  const out: Counts = {};
  if (v && typeof v === 'object') for (const [k, n] of Object.entries(v)) if (typeof n === 'number') out[k] = n;
  return out;
};

export async function readDatabaseFigures(q: Queryable): Promise<DatabaseFigures> {
  const { rows } = await q.query(FIGURES_SQL);
  const r = rows[0] ?? {};
  const jobs: Record<string, Counts> = {};
  for (const j of Array.isArray(r.jobs) ? (r.jobs as Array<Record<string, unknown>>) : []) {
    if (typeof j.task === 'string') jobs[j.task] = counts(j);
  }
  const age = r.last_tick_age;
  return {
    rollouts: counts(r.rollouts),
    runs: counts(r.runs),
    deliveries: counts(r.deliveries),
    jobs,
    faultsActive: counts(r.faults_active),
    faultsInjected: counts(r.faults_injected),
    haltEngaged: r.halt_engaged === true,
    haltsEngagedTotal: typeof r.halts_total === 'number' ? r.halts_total : 0,
    lastTickAgeSeconds: typeof age === 'number' ? Math.max(0, age) : null,
  };
}

/** Waits for `p` at most `ms`; then rejects (the query itself ends at the pool's statement timeout). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The database-derived series as exposition text, from a registry made for this scrape (two
 * concurrent scrapes never see each other's half-written gauges). `up` is false when the figures
 * could not be read in time; the reason stays in the server log, not in the answer.
 */
export async function databaseMetricsText(q: Queryable, opts: { deadlineMs: number; log?: (line: string) => void }): Promise<string> {
  const r = new Registry();
  const up = new Gauge({ name: 'switchback_database_up', help: 'Whether this scrape could read the figures below from PostgreSQL (1) or not (0: they are left out).', registers: [r] });
  const seconds = new Gauge({ name: 'switchback_database_scrape_duration_seconds', help: 'Time spent reading the database figures for this scrape.', registers: [r] });
  const started = performance.now();
  let f: DatabaseFigures;
  try {
    f = await within(readDatabaseFigures(q), opts.deadlineMs);
  } catch (err) {
    opts.log?.(`[metrics] database figures unavailable: ${err instanceof Error ? err.message : String(err)}`);
    up.set(0);
    seconds.set((performance.now() - started) / 1000);
    return r.metrics();
  }
  up.set(1);
  seconds.set((performance.now() - started) / 1000);
  const byState = (name: string, help: string, states: readonly string[], values: Counts) => {
    const g = new Gauge({ name, help, labelNames: ['state'], registers: [r] });
    // Every known state, zeros included (an absent series reads as "no data", not 0).
    for (const s of new Set([...states, ...Object.keys(values)])) g.set({ state: s }, values[s] ?? 0);
  };
  byState('switchback_rollouts', 'Rollouts by state.', ROLLOUT_STATES, f.rollouts);
  byState('switchback_experiment_runs', 'Experiment runs by state.', RUN_STATES, f.runs);
  byState('switchback_webhook_deliveries', 'Webhook deliveries by state (kept rows).', DELIVERY_STATES, f.deliveries);
  const jobs = new Gauge({ name: 'switchback_jobs', help: 'Jobs in the queue by task and state: ready (due, unclaimed), scheduled (due later or waiting to retry), locked (running), failed (no attempts left).', labelNames: ['task', 'state'], registers: [r] });
  for (const [task, c] of Object.entries(f.jobs)) for (const s of JOB_STATES) jobs.set({ task, state: s }, c[s] ?? 0);
  const active = new Gauge({ name: 'switchback_faults_active', help: 'Faults on the platform now (injected and not yet removed), by fault kind.', labelNames: ['kind'], registers: [r] });
  for (const [kind, n] of Object.entries(f.faultsActive)) active.set({ kind }, n);
  const injected = new Counter({ name: 'switchback_faults_injected_total', help: 'Faults confirmed injected by the platform, by fault kind (counted from the Injection rows retention keeps).', labelNames: ['kind'], registers: [r] });
  for (const [kind, n] of Object.entries(f.faultsInjected)) injected.inc({ kind }, n);
  new Gauge({ name: 'switchback_halt_engaged', help: 'Whether the emergency halt is engaged (1) or not (0).', registers: [r] }).set(f.haltEngaged ? 1 : 0);
  new Counter({ name: 'switchback_halts_engaged_total', help: 'Times the emergency halt was engaged.', registers: [r] }).inc(f.haltsEngagedTotal);
  if (f.lastTickAgeSeconds !== null) {
    new Gauge({ name: 'switchback_last_tick_age_seconds', help: 'Seconds since the last committed telemetry tick of any worker (grows when no worker leads).', registers: [r] }).set(f.lastTickAgeSeconds);
  }
  return r.metrics();
}
