import pg from 'pg';
import { dbTimeouts, READ_GRACE_MS, readDeadlineMs, type DbTimeouts } from '../../db/client';

/** Advisory-lock key of the telemetry loop (one leader per fleet = per database). */
export const TELEMETRY_LOCK_KEY = 0x5357_7442; // "SWtB"

/**
 * Leadership through a session-level PostgreSQL advisory lock held on a dedicated connection.
 * If the leader dies, its connection closes and PostgreSQL releases the lock. A follower does not
 * merely poll: it waits for the lock inside PostgreSQL (pg_advisory_lock under a lock_timeout of
 * `pollMs`, then asks again), so PostgreSQL hands it the lock the moment the old session ends —
 * the new leader's first tick is the next slot after its set-up, not up to a poll later (with a
 * 1 s poll and a 1 s tick, a takeover used to cost up to three slots). `stillLeader(client)` is
 * the fencing check the tick transaction runs, so a leader whose connection was silently lost
 * cannot commit a tick.
 */
export class Leadership {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private backendPid: number | null = null;
  /** The connection while it waits in PostgreSQL for the lock (a follower). */
  private waiting: pg.Client | null = null;
  /** Elections this worker asked for and lost because another worker holds the lock. */
  refused = 0;

  constructor(
    private readonly opts: {
      url: string;
      pollMs: number;
      onElected: () => void;
      onLost: (reason: string) => void;
      log: (line: string) => void;
      key?: number;
      timeouts?: DbTimeouts;
    },
  ) {}

  get key(): number {
    return this.opts.key ?? TELEMETRY_LOCK_KEY;
  }

  get isLeader(): boolean {
    return this.backendPid !== null;
  }

  /** Backend pid of the connection that holds the lock (for the fencing check). */
  get pid(): number | null {
    return this.backendPid;
  }

  start(): void {
    void this.attempt();
  }

  private schedule(delayMs = this.opts.pollMs) {
    // One pending attempt at most: a dropped connection and the failed wait on it both ask.
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => void this.attempt(), delayMs);
  }

  private async attempt(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.backendPid !== null) return;
    try {
      if (!this.client) {
        const t = this.opts.timeouts ?? dbTimeouts();
        // Bounded like every other connection: a frozen database fails the election attempt
        // (retried every pollMs) instead of hanging it.
        const c = new pg.Client({
          connectionString: this.opts.url,
          application_name: 'switchback-telemetry-leader',
          connectionTimeoutMillis: t.connectMs,
          query_timeout: readDeadlineMs(t),
          keepAlive: true,
        });
        c.on('error', (err) => this.drop(c, `leader connection error: ${err.message}`));
        c.on('end', () => this.drop(c, 'leader connection ended'));
        await c.connect();
        this.client = c;
      }
      const client = this.client;
      const { rows } = await client.query<{ ok: boolean; pid: number }>('SELECT pg_try_advisory_lock($1) AS ok, pg_backend_pid() AS pid', [this.key]);
      if (rows[0]?.ok) return this.elected(rows[0].pid);
      this.refused++;
      // Another worker leads: wait in line for its lock, at most pollMs, then ask again.
      if (await this.waitForLock(client)) {
        if (this.stopped || this.client !== client) return;
        return this.elected(rows[0]!.pid);
      }
      // The wait itself lasted pollMs: ask again at once.
      return this.schedule(0);
    } catch (err) {
      if (this.stopped) return; // stop() hung up on a waiting follower
      this.opts.log(`[telemetry] leader election failed: ${err instanceof Error ? err.message : String(err)}`);
      const c = this.client;
      this.client = null;
      // Not awaited: ending a connection to a server that does not answer never completes.
      c?.end().catch(() => undefined);
    }
    this.schedule();
  }

  private elected(pid: number) {
    this.backendPid = pid;
    this.opts.log(`[telemetry] elected leader (lock ${this.key}, backend ${pid})`);
    this.opts.onElected();
  }

  /**
   * True once this session holds the lock; false when `pollMs` passed first (lock_timeout, SQLSTATE
   * 55P03). Both settings are local to the transaction, so nothing outlives the wait.
   */
  private async waitForLock(client: pg.Client): Promise<boolean> {
    const waitMs = Math.max(1, Math.round(this.opts.pollMs));
    this.waiting = client;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = ${waitMs}`);
      await client.query(`SET LOCAL statement_timeout = ${waitMs + READ_GRACE_MS}`);
      // Session-level, like pg_try_advisory_lock: COMMIT does not release it.
      // query_timeout per query is read by pg at run time; its types omit it.
      await client.query({ text: 'SELECT pg_advisory_lock($1)', values: [this.key], query_timeout: waitMs + 2 * READ_GRACE_MS } as pg.QueryConfig);
      await client.query('COMMIT');
      return true;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if ((err as { code?: string }).code === '55P03') return false;
      throw err;
    } finally {
      this.waiting = null;
    }
  }

  /**
   * Gives up leadership that can no longer be trusted (a fenced write found the lock gone): drops
   * the lock connection — which releases the lock if PostgreSQL still counts it — and competes
   * again from the next poll.
   */
  resign(reason: string): void {
    if (this.client) this.drop(this.client, reason);
  }

  private drop(client: pg.Client, reason: string) {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.backendPid !== null) {
      this.backendPid = null;
      this.opts.onLost(reason);
    }
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    this.backendPid = null;
    if (c) {
      // A follower waiting in line is hung up on (ending the session drops its place in line);
      // a leader releases the lock first, then closes.
      if (this.waiting !== c) await c.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await c.end().catch(() => undefined);
    }
  }
}

/** True while the session `pid` still holds the telemetry lock; run inside the tick transaction. */
export async function stillLeader(client: pg.ClientBase | pg.Pool, pid: number, key = TELEMETRY_LOCK_KEY): Promise<boolean> {
  // Advisory locks on a single bigint key appear with classid = high 32 bits, objid = low 32 bits.
  const { rows } = await client.query<{ held: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1
       AND classid = 0 AND objid = $2 AND objsubid = 1) AS held`,
    [pid, key],
  );
  return rows[0]?.held ?? false;
}
