// The leader's fault convergence: the Injection rows are the truth, the platform is made to hold
// exactly the faults whose lease and expiry are still in the future. Each sync pushes every live
// fault with expiresAt = min(lease, hard expiry), which is what moves the in-platform expiry
// forward while a controller renews the lease — and what lets the platform drop a fault by itself
// (HAProxy's expiry map) once nobody renews it, even when no worker survives.
import { HALT_CLEARED_SQL } from '../../services/safety/halt-checks';
import pg from 'pg';
import { dbTimeouts, readDeadlineMs, type DbTimeouts } from '../../db/client';
import { FAULTS_CHANNEL } from '../../live/topics';
import type { FaultInjection, FaultSpec, PlatformAdapter } from '../../platform/adapter';
import { FencedError } from '../../platform/fenced';

export interface FaultSyncOutcome {
  /** Faults pushed to the platform (desired, lease and expiry in the future). */
  desired: number;
  /** Of those, refused by the platform (lastError written). */
  failed: number;
  /** Rows marked removed by this sync (not in the desired set any more). */
  removed: number;
}

interface DesiredRow {
  id: string;
  instanceId: string;
  backend: string | null;
  spec: FaultSpec;
  cohort: { header: string; value: string } | null;
  until: Date;
}

/**
 * One convergence: read the desired set (one query), hand it to the adapter, record the outcome.
 * `fence(client)` runs inside the recording transaction: a deposed leader writes nothing.
 * The adapter is the leader's fenced adapter, so its write is refused the same way.
 */
export async function syncFaultsOnce(pool: pg.Pool, adapter: PlatformAdapter, fence: (client: pg.PoolClient) => Promise<boolean>): Promise<FaultSyncOutcome | null> {
  // The database's clock decides what is live: leases are written against it too.
  const { rows, asOf } = await readDesired(pool);
  const set: FaultInjection[] = rows.map((r) => ({
    id: r.id,
    instanceId: r.instanceId,
    ...(r.backend ? { backend: r.backend } : {}),
    spec: r.spec,
    ...(r.cohort ? { cohort: r.cohort } : {}),
    expiresAt: r.until,
  }));
  // An unreachable platform throws: the tick fails and the adapter status says it in words. The
  // rows keep no error for it (lastError is for refusals): a run waits for confirmation instead of
  // taking a blip for a refusal, and the next sync retries.
  const { failed } = await adapter.syncFaults(set);
  const refused = new Map(failed.map((f) => [f.id, f.error.slice(0, 2000)]));
  const applied = rows.filter((r) => !refused.has(r.id));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (!(await fence(client))) {
      await client.query('ROLLBACK');
      return null;
    }
    if (applied.length > 0) {
      await client.query(
        `UPDATE "Injection" i SET "injectedAt" = COALESCE(i."injectedAt", $3), "platformExpiresAt" = a.until, "lastError" = ''
           FROM unnest($1::uuid[], $2::timestamptz[]) AS a(id, until) WHERE i.id = a.id AND i."removedAt" IS NULL`,
        [applied.map((r) => r.id), applied.map((r) => r.until), asOf],
      );
    }
    if (refused.size > 0) {
      await client.query(
        `UPDATE "Injection" i SET "lastError" = a.err FROM unnest($1::uuid[], $2::text[]) AS a(id, err)
          WHERE i.id = a.id AND i."removedAt" IS NULL AND i."lastError" IS DISTINCT FROM a.err`,
        [[...refused.keys()], [...refused.values()]],
      );
    }
    // Everything unremoved that was not live when the set was read is now out of the platform.
    // A renewed lease is capped at the hard expiry, so when both passed the expiry is the reason.
    // Judged against the same instant as the read, so a row inserted or renewed meanwhile is
    // never marked removed by mistake (the next sync sees it).
    const removed = await client.query(
      `UPDATE "Injection" SET desired = false, "removedAt" = $2,
              "removeReason" = COALESCE("removeReason", CASE
                WHEN "expiresAt" <= $2 THEN 'expired'
                WHEN "leaseExpiresAt" <= $2 THEN 'lease_lapsed'
                ELSE 'orphan' END::"InjectionRemoveReason")
        WHERE "removedAt" IS NULL AND NOT (id = ANY($1::uuid[]))
          AND NOT (desired AND "leaseExpiresAt" > $2 AND "expiresAt" > $2)`,
      [rows.map((r) => r.id), asOf],
    );
    // Halt-all: the halt is clear once the last fault it stopped wanting is out (its faultsClearedAt).
    if ((removed.rowCount ?? 0) > 0) await client.query(HALT_CLEARED_SQL, [asOf]);
    await client.query('COMMIT');
    return { desired: rows.length, failed: refused.size, removed: removed.rowCount ?? 0 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function readDesired(pool: pg.Pool): Promise<{ rows: DesiredRow[]; asOf: Date }> {
  const { rows } = await pool.query<DesiredRow & { asOf: Date }>(
    `SELECT i.id, i."instanceId", i.backend, i.spec, i.cohort, LEAST(i."leaseExpiresAt", i."expiresAt") AS until, n.t AS "asOf"
       FROM (SELECT clock_timestamp() AS t) n
       LEFT JOIN "Injection" i ON i.desired AND i."removedAt" IS NULL AND i."leaseExpiresAt" > n.t AND i."expiresAt" > n.t
      ORDER BY i."createdAt", i.id`,
  );
  const asOf = rows[0]!.asOf;
  return { rows: rows.filter((r) => r.id !== null), asOf };
}

/**
 * Runs syncs one at a time: a request while one is in flight is coalesced into a single pending
 * sync that starts when it ends (so a burst of NOTIFYs costs at most two syncs, and a request
 * always gets a sync that started after it).
 */
export class FaultSyncer {
  private inFlight: Promise<void> | null = null;
  private pending: Promise<void> | null = null;

  constructor(private readonly once: () => Promise<void>) {}

  sync(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.once().finally(() => (this.inFlight = null));
      return this.inFlight;
    }
    this.pending ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.pending = null;
        return this.sync();
      });
    return this.pending;
  }

  /** Resolves when nothing is in flight or pending (errors swallowed: each caller saw its own). */
  async idle(): Promise<void> {
    while (this.inFlight || this.pending) await (this.pending ?? this.inFlight)!.catch(() => undefined);
  }
}

/**
 * The leader's LISTEN on FAULTS_CHANNEL: a command that changed the desired set (abort, halt-all)
 * NOTIFYs in its transaction and the leader converges at once instead of at its next tick. A lost
 * connection is reopened by `ensure()`, which the tick calls (the tick's own sync covers the gap).
 */
export class FaultWaker {
  private client: pg.Client | null = null;
  private opening: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly opts: { url: string; onNotify: () => void; log: (line: string) => void; timeouts?: DbTimeouts },
  ) {}

  ensure(): Promise<void> {
    if (this.stopped || this.client) return Promise.resolve();
    this.opening ??= this.open().finally(() => (this.opening = null));
    return this.opening;
  }

  private async open(): Promise<void> {
    const t = this.opts.timeouts ?? dbTimeouts();
    const c = new pg.Client({ connectionString: this.opts.url, application_name: 'switchback-fault-listen', connectionTimeoutMillis: t.connectMs, query_timeout: readDeadlineMs(t), keepAlive: true });
    const drop = (why: string) => {
      if (this.client !== c) return;
      this.client = null;
      c.end().catch(() => undefined);
      if (!this.stopped) this.opts.log(`[telemetry] fault LISTEN connection lost (${why}); reopened at the next tick`);
    };
    c.on('error', (err) => drop(err.message));
    c.on('end', () => drop('ended'));
    c.on('notification', (n) => {
      if (n.channel === FAULTS_CHANNEL) this.opts.onNotify();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${FAULTS_CHANNEL}`);
    } catch (err) {
      c.end().catch(() => undefined);
      this.opts.log(`[telemetry] could not LISTEN ${FAULTS_CHANNEL}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (this.stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    this.client = c;
    // A NOTIFY sent while the connection was being opened was missed: converge once now.
    this.opts.onNotify();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.opening?.catch(() => undefined);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}

/**
 * The leader's fault convergence for one leadership term at a time: a sync every tick (`sync`)
 * and at once on NOTIFY sb_faults (the waker), through the term's fenced adapter.
 */
export class LeaderFaults {
  private readonly syncer = new FaultSyncer(() => this.once());
  private waker: FaultWaker | null = null;
  private term: { adapter: PlatformAdapter; fence: (client: pg.PoolClient) => Promise<boolean> } | null = null;

  constructor(
    private readonly opts: {
      url: string;
      pool: pg.Pool;
      log: (line: string) => void;
      /** A sync woken by NOTIFY failed (a tick's own sync reports to its caller). */
      onWakeError: (err: unknown, fenced: boolean) => void;
    },
  ) {}

  /** Starts a term: `fence(client)` says, inside the recording transaction, whether it still leads. */
  async lead(adapter: PlatformAdapter, fence: (client: pg.PoolClient) => Promise<boolean>): Promise<void> {
    await this.stop();
    const term = { adapter, fence };
    this.term = term;
    this.waker = new FaultWaker({ url: this.opts.url, log: this.opts.log, onNotify: () => this.wake(term) });
    void this.waker.ensure();
  }

  /** Ends the term: no sync runs after this resolves. */
  async stop(): Promise<void> {
    this.term = null;
    const w = this.waker;
    this.waker = null;
    await w?.stop();
    await this.syncer.idle();
  }

  /** The tick's sync (coalesced with a NOTIFY's); reopens a lost LISTEN first. */
  async sync(): Promise<void> {
    await this.waker?.ensure();
    return this.syncer.sync();
  }

  private async once(): Promise<void> {
    const t = this.term;
    if (!t) return;
    const out = await syncFaultsOnce(this.opts.pool, t.adapter, t.fence);
    if (out && (out.removed > 0 || out.failed > 0)) this.opts.log(`[telemetry] faults: ${out.desired} live, ${out.failed} refused, ${out.removed} removed`);
  }

  private wake(term: LeaderFaults['term']) {
    if (term !== this.term) return;
    this.syncer.sync().catch((err: unknown) => this.opts.onWakeError(err, err instanceof FencedError));
  }
}
