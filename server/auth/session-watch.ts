import type { Db } from '../db/client';

interface Watcher {
  sessionId: string;
  onEnd: () => void;
}

/**
 * Ends long-lived streams (SSE subscriptions) whose session is gone: signed out, deleted by a
 * deactivation, a password change or reset, expired, or its user deactivated. A request is
 * authenticated once, when it starts; a stream lives on for hours, so it is checked again every
 * `intervalMs`. One query per web process per interval covers all its open streams (the session
 * ids are primary keys), and nothing runs while no stream is open.
 */
export class SessionWatch {
  private readonly watchers = new Set<Watcher>();
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    readonly intervalMs = 2000,
  ) {}

  /** `onEnd` is called once, when the session no longer authenticates. Returns the release. */
  watch(sessionId: string, onEnd: () => void): () => void {
    const w: Watcher = { sessionId, onEnd };
    this.watchers.add(w);
    if (!this.timer) {
      this.timer = setInterval(() => void this.check(), this.intervalMs);
      this.timer.unref();
    }
    return () => this.release(w);
  }

  get size(): number {
    return this.watchers.size;
  }

  /** One round of checks (the timer calls it; exposed so a caller can force one). */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => (this.checking = null));
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    const watching = [...this.watchers];
    if (!watching.length) return;
    let live: Set<string>;
    try {
      const ids = [...new Set(watching.map((w) => w.sessionId))];
      const rows = await this.db.session.findMany({
        where: { id: { in: ids }, expiresAt: { gt: new Date() }, user: { active: true } },
        select: { id: true },
      });
      live = new Set(rows.map((r) => r.id));
    } catch (err) {
      // The database did not answer: keep the streams for now (they cannot deliver much without
      // it either); the next round decides. Failing closed here would drop every client at once.
      console.warn(`[sessions] stream session check failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    for (const w of watching) {
      if (!live.has(w.sessionId) && this.watchers.has(w)) {
        this.release(w);
        w.onEnd();
      }
    }
  }

  private release(w: Watcher) {
    this.watchers.delete(w);
    if (!this.watchers.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

// One per database client, i.e. one per web process (and one per test database).
const watches = new WeakMap<Db, SessionWatch>();

export function sessionWatch(db: Db): SessionWatch {
  let w = watches.get(db);
  if (!w) {
    w = new SessionWatch(db);
    watches.set(db, w);
  }
  return w;
}
