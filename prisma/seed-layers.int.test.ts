import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../test/context';
import { seedIfEmpty } from './seed';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await seedIfEmpty(t.db, { adminName: 'admin', demo: true });
});
afterAll(() => t.close());

describe('the demo seed: layers', () => {
  // The chaos report's per-layer table groups services by their `layer` label (SPEC §3.7).
  it('labels every demo service with its layer, and its instances inherit it', async () => {
    const services = await t.db.service.findMany({ include: { instances: { select: { labels: true } } }, orderBy: { name: 'asc' } });
    expect(Object.fromEntries(services.map((s) => [s.name, (s.labels as Record<string, unknown>).layer]))).toEqual({
      'edge-gateway': 'access',
      'inventory-svc': 'data',
      'order-api': 'service',
      'payment-svc': 'data',
    });
    for (const s of services) {
      expect(s.instances.length).toBeGreaterThan(0);
      for (const i of s.instances) expect((i.labels as Record<string, unknown>).layer).toBe((s.labels as Record<string, unknown>).layer);
    }
  });
});
