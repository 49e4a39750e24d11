import { z } from 'zod';

// Every configuration value Switchback reads, validated once. Nothing else reads process.env
// (the lint rule enforces it), so this file is the complete list the README documents.
const bool = z
  .enum(['true', 'false', '1', '0'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1');

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole number')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  DATABASE_URL: z
    .string()
    .max(2000)
    .regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// URL')
    .optional(),
  PORT: port.default(3000),
  SWITCHBACK_HOST: z.string().min(1).max(255).default('127.0.0.1'),
  SWITCHBACK_PUBLIC_URL: z.url({ error: 'expected a URL such as https://switchback.example.com' }).optional(),
  SWITCHBACK_DATA_DIR: z.string().min(1).max(4096).default('.data'),
  SWITCHBACK_PG_PORT: port.default(54329),
  SWITCHBACK_ADMIN_NAME: z
    .string()
    .max(32, 'expected a lowercase user name of 2–32 characters')
    .regex(/^[a-z][a-z0-9._-]{1,31}$/, 'expected a lowercase user name of 2–32 characters')
    .default('admin'),
  SWITCHBACK_SEED: z.enum(['demo', 'none'], { error: 'expected demo or none' }).default('demo'),
  /**
   * How many instances the demo platform has (about: the fleet grows by whole clusters). Fixed when
   * the data folder is first seeded; unset = the 84 of the demo every guide describes.
   */
  SWITCHBACK_DEMO_INSTANCES: z.coerce
    .number({ error: 'expected a number of instances from 1 to 20000' })
    .int('expected a whole number of instances from 1 to 20000')
    .min(1, 'expected a number of instances from 1 to 20000')
    .max(20_000, 'expected a number of instances from 1 to 20000')
    .optional(),
  /**
   * Instances from which a what-if preview replays on two threads (the second counts the stages,
   * watermarks and breaker); 0: always one thread.
   */
  SWITCHBACK_PREVIEW_THREAD_FROM: z.coerce
    .number({ error: 'expected a number of instances from 0 to 1000000' })
    .int('expected a whole number of instances from 0 to 1000000')
    .min(0, 'expected a number of instances from 0 to 1000000')
    .max(1_000_000, 'expected a number of instances from 0 to 1000000')
    .default(256),
  SWITCHBACK_SESSION_HOURS: z.coerce.number().positive('expected a positive number of hours').default(12),
  SWITCHBACK_COOKIE_SECURE: bool.default(false),
  /** A reverse proxy in front appends the client's address to X-Forwarded-For (scripts/web-server.mjs). */
  SWITCHBACK_TRUST_PROXY: bool.default(false),
  SWITCHBACK_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SWITCHBACK_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SWITCHBACK_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  SWITCHBACK_LIVE_RETENTION_HOURS: z.coerce.number().int().min(1).default(24),
  SWITCHBACK_TELEMETRY_RAW_HOURS: z.coerce.number().int().min(1).default(6),
  SWITCHBACK_TELEMETRY_ROLLUP_DAYS: z.coerce.number().int().min(1).default(30),
  SWITCHBACK_TRANSITION_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  SWITCHBACK_SKIP_BUILD: bool.default(false),
  /** Live feeds the web server starts per event-loop turn during a burst of opens (scripts/web-server.mjs reads it; checked here so npm start refuses a bad one). */
  SWITCHBACK_STREAM_OPENS_PER_TURN: z.coerce
    .number({ error: 'expected a whole number from 1 to 1000' })
    .int('expected a whole number from 1 to 1000')
    .min(1, 'expected a whole number from 1 to 1000')
    .max(1000, 'expected a whole number from 1 to 1000')
    .default(2),
  /** Connecting to PostgreSQL (or waiting for a free pooled connection) gives up after this long. */
  SWITCHBACK_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100, 'expected at least 100 ms').max(600_000, 'expected at most 600000 ms').default(3000),
  /** One statement of the web server or the telemetry loop; the database answers 503 in words beyond it. */
  SWITCHBACK_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100, 'expected at least 100 ms').max(600_000, 'expected at most 600000 ms').default(5000),
  /** One statement of a maintenance job (rollups, retention): these may scan hours of samples. */
  SWITCHBACK_DB_JOB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000, 'expected at least 1000 ms').max(3_600_000, 'expected at most 3600000 ms').default(300_000),
  SWITCHBACK_TICK_MS: z.coerce.number().int().min(100, 'expected at least 100 ms').max(60_000, 'expected at most 60000 ms').default(1000),
  SWITCHBACK_TELEMETRY_LOOP: bool.default(true),
  /**
   * How long an injected fault outlives its run controller's last renewal: the controller pushes
   * each fault's lease this far ahead every tick, so a dead worker's faults lapse within it.
   */
  SWITCHBACK_FAULT_LEASE_MS: z.coerce.number().int().min(2000, 'expected at least 2000 ms').max(600_000, 'expected at most 600000 ms').default(15_000),
  /**
   * The platform `npm start` makes active: `sim` (the built-in simulator), `lab` (the HAProxy +
   * Prometheus lab of `npm run lab`, read from <data dir>/lab/adapter.json) or the path of a JSON
   * adapter configuration. Unset = keep the active one (Settings → Platform adapters).
   */
  SWITCHBACK_PLATFORM: z.string().min(1).max(4096).optional(),
  /** When set, GET /metrics (web) and the worker's metrics endpoint require `Authorization: Bearer <token>`. */
  SWITCHBACK_METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').max(512, 'expected at most 512 characters').optional(),
  /** The worker serves its own metrics (ticks, adapter calls, jobs) on this port; unset = not served (npm start picks a free one). */
  SWITCHBACK_WORKER_METRICS_PORT: port.optional(),
  SWITCHBACK_WORKER_METRICS_HOST: z.string().min(1).max(255).default('127.0.0.1'),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" (a common shell habit: FOO= npm start).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const got = source[name];
    return `${name}: ${issue.message}${got !== undefined ? ` (got ${JSON.stringify(got)})` : ''}`;
  });
  throw new EnvError(problems);
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Parses the environment again: for tests that point this process at a database they just made. */
export function reloadEnv(): Env {
  cached = undefined;
  return env();
}

export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new EnvError(['DATABASE_URL: required in this process (npm start sets it for its children)']);
  return url;
}
