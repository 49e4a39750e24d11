import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';
import { databaseUrl, env, type Env } from '../env';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/**
 * How long a process waits for PostgreSQL before it gives up and says so (a frozen or
 * unreachable database must not hang every request).
 */
export interface DbTimeouts {
  /** Opening a connection, and waiting for a free one in the pool. */
  connectMs: number;
  /**
   * One statement, enforced by PostgreSQL itself (statement_timeout: the connection stays
   * usable). A server that does not answer at all is given up on READ_GRACE_MS later.
   */
  statementMs: number;
}

/** The client-side deadline trails the server's own, so a slow query is cancelled cleanly first. */
export const READ_GRACE_MS = 1000;

export function dbTimeouts(e: Env = env()): DbTimeouts {
  return { connectMs: e.SWITCHBACK_DB_CONNECT_TIMEOUT_MS, statementMs: e.SWITCHBACK_DB_STATEMENT_TIMEOUT_MS };
}

/** The longest a caller waits for one statement on a connection it already has. */
export const readDeadlineMs = (t: DbTimeouts) => t.statementMs + READ_GRACE_MS;

const READ_TIMEOUT = 'Query read timeout'; // pg's own message for query_timeout

/**
 * pg's query_timeout rejects a query but leaves it in flight on its connection, which would go
 * back to the pool still waiting for the server (Prisma releases transaction connections without
 * an error). A connection whose server did not answer is hung up on instead, so the pool opens a
 * fresh one when the database is back.
 */
class HangUpOnSilence extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    const cb = args[last];
    if (typeof cb === 'function') {
      args[last] = (err: unknown, res: unknown) => {
        this.hangUpIfSilent(err);
        (cb as (e: unknown, r: unknown) => void)(err, res);
      };
    }
    const r = (pg.Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    if (r instanceof Promise) {
      return r.catch((err: unknown) => {
        this.hangUpIfSilent(err);
        throw err;
      }) as never;
    }
    return r as never;
  }

  private hangUpIfSilent(err: unknown) {
    if (!(err instanceof Error) || err.message !== READ_TIMEOUT) return;
    // Private pg fields: `_ending` makes the hang-up quiet (no 'error' event on a checked-out
    // client) and makes the pool drop the client when it is released.
    const self = this as unknown as { _ending: boolean; connection: { stream: { destroy(): void } } };
    self._ending = true;
    self.connection.stream.destroy();
  }
}

// Prisma keeps DateTime columns (timestamp without time zone) in UTC; node-pg's own queries (the
// telemetry loop, fault sync) read such a column, and send a Date, in the process's local zone.
// Under TZ=America/Los_Angeles a run's faults read as 8 h off and the run ended at once
// ("Duration of 600 s over"; server/db/session-timezone.int.test.ts). Prisma's adapter has its own
// parsers and formats its own dates, so this changes only node-pg's raw queries.
const localTimestamp = pg.types.getTypeParser(pg.types.builtins.TIMESTAMP) as (v: string) => Date;
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v: string) => (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(v) ? new Date(`${v.replace(' ', 'T')}Z`) : localTimestamp(v)));
pg.defaults.parseInputDatesAsUTC = true;

export const IDLE_CONNECTION_MS = 10 * 60_000;

/** Pool options with the timeouts applied; every pg.Pool of the app is made from these. */
export function poolConfig(url: string, max: number, t: DbTimeouts = dbTimeouts()): pg.PoolConfig {
  return {
    connectionString: url,
    max,
    Client: HangUpOnSilence,
    connectionTimeoutMillis: t.connectMs,
    statement_timeout: t.statementMs,
    query_timeout: readDeadlineMs(t),
    // A dead peer (a host that vanished) is noticed by TCP instead of never.
    keepAlive: true,
    // Probed after a minute idle, not the OS's two hours: a connection kept idle for minutes
    // (below) stays open through a NAT or proxy that drops silent ones after ~5 minutes.
    keepAliveInitialDelayMillis: 60_000,
    // An idle connection is kept 10 minutes, not node-pg's 10 s: a new PostgreSQL backend pays
    // about three times the CPU on its first pass over pages another backend read (what-if
    // preview at 10,000 instances, a preview every 15 s: PostgreSQL 5.9-7.2 s of CPU and
    // 7.9-9.6 s in all with 10 s; 3.9-4.5 s and 6.3-6.6 s with 10 minutes). At most `max`
    // connections are kept per pool either way.
    idleTimeoutMillis: IDLE_CONNECTION_MS,
    // Every session in UTC, whatever the server's TimeZone (initdb takes the host's): Prisma keeps
    // DateTime as UTC in timestamp columns, and @prisma/adapter-pg reads a timestamptz by replacing
    // its offset with +00:00, so in a Europe/Berlin session now() and graphile-worker's run_at
    // read back an hour ahead of the instant meant (server/db/session-timezone.int.test.ts).
    options: '-c TimeZone=UTC',
  };
}

export function createPool(url: string, max: number, t: DbTimeouts = dbTimeouts()): pg.Pool {
  return new pg.Pool(poolConfig(url, max, t));
}

const pools = new WeakMap<Db, { pool: pg.Pool; timeouts: DbTimeouts }>();

export function createDb(url: string, max = 10, timeouts: DbTimeouts = dbTimeouts()): Db {
  // Our own pool (ended by $disconnect) so the few bulk reads Prisma makes slow — bytea columns,
  // which it copies byte by byte — share its connections and limits.
  const pool = createPool(url, max, timeouts);
  // An idle connection that PostgreSQL ends (restart, pg_terminate_backend) is dropped by the
  // pool; without a listener its 'error' event would end the process.
  pool.on('error', () => undefined);
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    // Waiting for a connection to start a transaction: a little longer than the pool's own
    // connect timeout, so the pool's error (which says how long it waited) is the one reported.
    // A transaction may take two slow statements' time (Prisma's own 5 s rolled back plain commands
    // on a loaded machine); commands that need more pass timeoutMs.
    transactionOptions: { maxWait: timeouts.connectMs + 500, timeout: Math.max(5_000, 2 * timeouts.statementMs) },
  });
  pools.set(client, { pool, timeouts });
  return client;
}

function entry(db: Db) {
  const e = pools.get(db);
  if (!e) throw new Error('this database client was not made by createDb: no pg pool behind it');
  return e;
}

/** The pg pool behind a client made by createDb. */
export const pgPool = (db: Db): pg.Pool => entry(db).pool;

/**
 * The timeouts a client made by createDb was given (for error messages that state them); the
 * configured ones for any other client, since this runs on error paths that must not throw.
 */
export const timeoutsOf = (db: Db): DbTimeouts => pools.get(db)?.timeouts ?? dbTimeouts();

// One client per process; Next.js dev re-evaluates modules, so keep it on globalThis. It follows
// the configured URL: a process that is pointed at another database (the integration files that
// share one test process, each with its own database) gets a client of that one, not the last.
const holder = globalThis as unknown as { __switchbackDb?: { url: string; client: Db } };

export function db(): Db {
  const url = databaseUrl();
  const held = holder.__switchbackDb;
  if (held?.url === url) return held.client;
  // Nothing uses the old database's client any more: its connections are given back.
  if (held) void held.client.$disconnect().catch(() => undefined);
  holder.__switchbackDb = { url, client: createDb(url) };
  return holder.__switchbackDb.client;
}
