// A browser opening its live streams sends several requests with one cookie at once: they share
// one session lookup, and the one row's lastSeenAt is written once, not once per request (those
// UPDATEs queue behind each other's row lock, each holding a pooled connection).
import { describe, expect, it } from 'vitest';
import type { DbOrTx } from '../db/client';
import { deleteSession, getSessionUser, getStreamSessionUser, STREAM_SESSION_REUSE_MS } from './sessions';

function fakeDb(lastSeenAt: Date) {
  const calls = { reads: 0, touches: 0 };
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const session = { id: 'x', expiresAt: new Date(Date.now() + 3600_000), lastSeenAt, user: { id: 'u1', name: 'ana', displayName: 'Ana', role: 'viewer', active: true } };
  const db = {
    session: {
      findUnique: async () => {
        calls.reads++;
        await gate;
        return session;
      },
      update: () => {
        calls.touches++;
        return Promise.resolve(session);
      },
    },
  };
  return { db: db as unknown as DbOrTx, calls, release };
}

describe('getSessionUser under a burst of requests', () => {
  it('requests that arrive while a lookup runs share it; lastSeenAt is written once a minute, not per request', async () => {
    const { db, calls, release } = fakeDb(new Date(Date.now() - 10 * 60_000));
    const burst = Array.from({ length: 50 }, () => getSessionUser(db, 'token-a'));
    release();
    const users = await Promise.all(burst);
    expect(users.every((u) => u?.id === 'u1' && u.role === 'viewer')).toBe(true);
    // Each caller gets its own object (a caller that changes it does not change the others').
    expect(users[0]).not.toBe(users[1]);
    expect(calls).toEqual({ reads: 1, touches: 1 });

    // Nothing is kept once the lookup answered: the next request reads again (a sign-out is
    // seen at once), but the row (still old in this fake) is not written again within the minute.
    await getSessionUser(db, 'token-a');
    expect(calls).toEqual({ reads: 2, touches: 1 });
  });

  it('different sessions do not share a lookup', async () => {
    const { db, calls, release } = fakeDb(new Date());
    release();
    await Promise.all([getSessionUser(db, 'token-b'), getSessionUser(db, 'token-c')]);
    expect(calls).toEqual({ reads: 2, touches: 0 });
  });
});

describe('getStreamSessionUser', () => {
  it('stream opens within the reuse window share one answer; a later one, a failed one and a sign-out ask again', async () => {
    const { db, calls, release } = fakeDb(new Date());
    release();
    const t0 = 1_000_000;
    const first = await getStreamSessionUser(db, 'token-s', t0);
    const again = await getStreamSessionUser(db, 'token-s', t0 + STREAM_SESSION_REUSE_MS - 1);
    expect(first?.id).toBe('u1');
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    expect(calls.reads).toBe(1);
    // Older than the window (SessionWatch's interval): read again.
    await getStreamSessionUser(db, 'token-s', t0 + STREAM_SESSION_REUSE_MS);
    expect(calls.reads).toBe(2);
    // A sign-out in this process drops the kept answer at once.
    await deleteSession({ session: { deleteMany: () => Promise.resolve({ count: 1 }) } } as unknown as DbOrTx, 'token-s');
    await getStreamSessionUser(db, 'token-s', t0 + STREAM_SESSION_REUSE_MS + 1);
    expect(calls.reads).toBe(3);
  });

  it('a lookup that failed is not reused', async () => {
    let reads = 0;
    const failing = { session: { findUnique: () => (reads++ === 0 ? Promise.reject(new Error('no answer')) : Promise.resolve(null)) } } as unknown as DbOrTx;
    await expect(getStreamSessionUser(failing, 'token-f', 5_000_000)).rejects.toThrow('no answer');
    await expect(getStreamSessionUser(failing, 'token-f', 5_000_001)).resolves.toBeNull();
    expect(reads).toBe(2);
  });
});
