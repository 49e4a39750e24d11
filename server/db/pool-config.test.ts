import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPool, IDLE_CONNECTION_MS } from './client';

describe('the pools', () => {
  it('keep an idle connection minutes, not node-pg’s 10 s (a new backend’s first read of the packs costs about three times the CPU)', async () => {
    const pool = createPool('postgresql://nobody@127.0.0.1:1/none', 2);
    try {
      expect(IDLE_CONNECTION_MS).toBeGreaterThanOrEqual(5 * 60_000);
      // What node-pg's Pool itself took (its own default is 10,000 ms).
      expect((pool as pg.Pool & { options: pg.PoolConfig }).options.idleTimeoutMillis).toBe(IDLE_CONNECTION_MS);
    } finally {
      await pool.end();
    }
  });
});
