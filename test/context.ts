import { createDb, type Db } from '../server/db/client';
import { createCaller } from '../server/api/root';
import type { Context } from '../server/api/trpc';
import type { Role } from '../server/db/generated/enums';
import { makeUser } from '../server/db/factories';
import { createSession, hashToken } from '../server/auth/sessions';
import { createTestDatabase } from './db';

export interface TestDb {
  db: Db;
  url: string;
  close(): Promise<void>;
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function openTestDb(): Promise<TestDb> {
  const t = await createTestDatabase();
  const db = createDb(t.url, 4);
  return {
    db,
    url: t.url,
    async close() {
      await db.$disconnect();
      await t.drop();
    },
  };
}

export function contextFor(db: Db, user: { id: string; name: string; role: Role } | null, token?: string): Context {
  return {
    db,
    user: user ? { id: user.id, name: user.name, displayName: '', role: user.role, sessionId: 'test' } : null,
    token,
    resHeaders: new Headers(),
    meta: { ip: '127.0.0.1', userAgent: 'vitest' },
    config: { sessionHours: 1, cookieSecure: false },
  };
}

/**
 * A context whose user holds a real session row: subscriptions end when their session does
 * (server/api/live-session.ts), so a streaming test needs one that exists.
 */
export async function signedInContextFor(db: Db, user: { id: string; name: string; role: Role }): Promise<Context> {
  const { token } = await createSession(db, user.id, { hours: 1 });
  const ctx = contextFor(db, user, token);
  return { ...ctx, user: { ...ctx.user!, sessionId: hashToken(token) } };
}

export async function callerAs(db: Db, role: Role | null) {
  if (!role) return { caller: createCaller(contextFor(db, null)), user: null };
  const { user, password } = await makeUser(db, { role });
  return { caller: createCaller(contextFor(db, user)), user, password };
}
