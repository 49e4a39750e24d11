import type { Db, Tx } from '../db/client';
import { Prisma } from '../db/generated/client';
import { asConflict, isTransientTxError } from './db-errors';
import { enqueueJob, type JobName, type JobPayload } from '../db/job-queue';
import { LIVE_CHANNEL, liveTopicSchemas, type LivePayload, type LiveTopic } from '../live/topics';

export interface Actor {
  id: string | null;
  name: string;
  /** How the actor acted when not through the console, e.g. "token:deploy-bot" (audited as such). */
  via?: string;
}

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  targetName?: string;
  before?: unknown;
  after?: unknown;
}

export interface CommandContext {
  tx: Tx;
  actor: Actor;
  audit(entry: AuditEntry): Promise<void>;
  /** A live event for the browsers, committed with the command; the payload must match its topic's schema. */
  emit<T extends LiveTopic>(topic: T, payload: LivePayload<T>): Promise<void>;
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts?: { jobKey?: string; runAt?: Date }): Promise<void>;
}

const json = (v: unknown) => (v === undefined ? Prisma.DbNull : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue));

export interface CommandOptions {
  /** The command's parsed input: a unique violation names the value that was taken. */
  input?: Record<string, unknown>;
  /**
   * How long the transaction may run before Prisma rolls it back (its default: 5 s, right for a
   * person's command). Longer only for work that is long by nature, e.g. a reconciler's look.
   */
  timeoutMs?: number;
}

/** Attempts of a command whose transaction PostgreSQL chose as a deadlock victim (nothing of it committed). */
const TRANSIENT_ATTEMPTS = 3;

/**
 * Runs a command as one transaction: the desired-state change, its audit row, its live event
 * and its job commit together or not at all (NOTIFY is delivered by PostgreSQL at commit).
 * A unique violation (a create or rename race) leaves as a CONFLICT in words, not a 500; a
 * deadlock victim is run again (up to TRANSIENT_ATTEMPTS times).
 */

export async function runCommand<T>(db: Db, actor: Actor, fn: (ctx: CommandContext) => Promise<T>, opts: CommandOptions = {}): Promise<T> {
  // A deadlock victim's transaction was rolled back whole, so running it again is safe; a person
  // pressing halt-all while a reconciler holds the same rows must not see "something went wrong".
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(db, actor, fn, opts);
    } catch (err) {
      if (attempt < TRANSIENT_ATTEMPTS && isTransientTxError(err)) continue;
      throw asConflict(err, opts.input);
    }
  }
}

function once<T>(db: Db, actor: Actor, fn: (ctx: CommandContext) => Promise<T>, opts: CommandOptions): Promise<T> {
  {
    return db.$transaction(async (tx) => {
      const ctx: CommandContext = {
        tx,
        actor,
        async audit(entry) {
          await tx.auditEvent.create({
            data: {
              actorId: actor.id,
              actorName: actor.name,
              action: entry.action,
              targetType: entry.targetType,
              targetId: entry.targetId,
              targetName: entry.targetName ?? '',
              before: json(entry.before),
              after: json(entry.after),
              via: actor.via ?? '',
            },
          });
        },
        async emit(topic, payload) {
          const checked: unknown = liveTopicSchemas[topic].parse(payload);
          const event = await tx.liveEvent.create({ data: { topic, payload: json(checked) as Prisma.InputJsonValue } });
          await tx.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${event.id.toString()})`;
        },
        async enqueue(name, payload, opts) {
          await enqueueJob(tx, name, payload, opts);
        },
      };
      return fn(ctx);
    }, opts.timeoutMs === undefined ? undefined : { timeout: opts.timeoutMs });
  }
}
