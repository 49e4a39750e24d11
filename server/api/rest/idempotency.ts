import { createHash } from 'node:crypto';
import type { Db } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { problem, type Problem } from './problem';

// Idempotency-Key for POSTs that start something (a rollout, an experiment run): a client that
// lost the answer retries with the same key and gets the first answer back instead of a second
// start. The key row is inserted before the work (status null = running), so two retries racing
// each other meet the unique index (userId, key): one runs, the other is told 409.
//
// Only successful answers are remembered. A refused request changed nothing (a command is one
// transaction), so forgetting its key lets the client fix the request and retry under the same
// key — which is what a script in a retry loop does. Keys are kept 24 hours, pruned on write.

export const KEY_TTL_MS = 24 * 3600_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export interface StoredAnswer {
  status: number;
  contentType: string | null;
  body: string | null;
  etag: string | null;
  location?: string | null;
}

export type Begin = { kind: 'run'; id: string } | { kind: 'replay'; answer: StoredAnswer } | { kind: 'refuse'; problem: Problem };

export function checkKey(key: string): Problem | null {
  if (KEY_PATTERN.test(key)) return null;
  return problem(400, 'An Idempotency-Key is 1 to 200 printable characters without spaces (a UUID is a good choice).', {
    errors: { 'Idempotency-Key': ['1 to 200 printable ASCII characters, no spaces'] },
  });
}

export const requestHash = (parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex');

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

export async function beginIdempotent(db: Db, userId: string, key: string, route: string, hash: string, now: Date): Promise<Begin> {
  await db.idempotencyKey.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - KEY_TTL_MS) } } });
  try {
    const row = await db.idempotencyKey.create({ data: { userId, key, route, requestHash: hash, createdAt: now } });
    return { kind: 'run', id: row.id };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const row = await db.idempotencyKey.findUnique({ where: { userId_key: { userId, key } } });
  // Deleted in between (the first request failed and released it): this one may run.
  if (!row) return beginIdempotent(db, userId, key, route, hash, now);
  if (row.requestHash !== hash || row.route !== route) {
    return {
      kind: 'refuse',
      problem: problem(422, `This Idempotency-Key was already used for a different request (${row.route}, another body). Use a new key for a new request.`, {
        errors: { 'Idempotency-Key': ['Already used with a different request'] },
      }),
    };
  }
  if (row.status === null) {
    return { kind: 'refuse', problem: problem(409, 'A request with this Idempotency-Key is still running; retry when it has finished to get its answer.') };
  }
  return { kind: 'replay', answer: { ...(row.response as unknown as StoredAnswer), status: row.status } };
}

export async function finishIdempotent(db: Db, id: string, answer: StoredAnswer): Promise<void> {
  await db.idempotencyKey.update({ where: { id }, data: { status: answer.status, response: answer as unknown as Prisma.InputJsonValue } });
}

/** The request failed: forget the key so a corrected retry under the same key can run. */
export async function releaseIdempotent(db: Db, id: string): Promise<void> {
  await db.idempotencyKey.deleteMany({ where: { id, status: null } });
}
