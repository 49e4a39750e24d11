// /api/v1/webhooks as a script uses it: create (201, the secret once), read (ETag, no secret),
// change with If-Match (412 naming the current version when stale), field errors as 422, test, log, delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { restCall, tokenFor } from '../../../test/api-fixtures';

let t: TestDb;
let token: string;
beforeAll(async () => {
  t = await openTestDb();
  token = (await tokenFor(t.db, 'admin', { name: 'hooks-script' })).secret;
});
afterAll(() => t.close());

describe('REST /webhooks', () => {
  it('creates, reads, edits, tests and deletes a subscription', async () => {
    const bad = await restCall(t.db, 'POST', '/webhooks', { token, body: { name: 'ci', url: 'ftp://x', events: [] } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors ?? {})).toEqual(expect.arrayContaining(['url', 'events']));

    const created = await restCall(t.db, 'POST', '/webhooks', { token, body: { name: 'ci', url: 'http://127.0.0.1:9/ci', events: ['halt_engaged'], format: 'slack' } });
    expect(created.status, created.text).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const id = created.json.id as string;

    const got = await restCall(t.db, 'GET', `/webhooks/${id}`, { token });
    expect(got.status).toBe(200);
    expect(got.json).not.toHaveProperty('secret');
    expect(got.headers.get('etag')).toBe('"1"');

    const put = await restCall(t.db, 'PUT', `/webhooks/${id}`, { token, headers: { 'if-match': '"1"' }, body: { name: 'ci', url: 'http://127.0.0.1:9/ci2', events: ['halt_engaged', 'halt_released'] } });
    expect(put.status, put.text).toBe(200);
    const stale = await restCall(t.db, 'PUT', `/webhooks/${id}`, { token, headers: { 'if-match': '"1"' }, body: { name: 'ci', url: 'http://127.0.0.1:9/ci3', events: ['halt_engaged'] } });
    expect([stale.status, stale.json.currentVersion]).toEqual([412, 2]);

    const test = await restCall(t.db, 'POST', `/webhooks/${id}/test`, { token });
    expect(test.status, test.text).toBe(202);
    const log = await restCall(t.db, 'GET', `/webhooks/${id}/deliveries?limit=5`, { token });
    expect(log.status).toBe(200);
    expect((log.json.items ?? []).map((d) => d.id)).toEqual([test.json.deliveryId]);

    const rotated = await restCall(t.db, 'POST', `/webhooks/${id}/rotate-secret`, { token, headers: { 'if-match': '"2"' } });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.secret).not.toBe(created.json.secret);

    const del = await restCall(t.db, 'DELETE', `/webhooks/${id}`, { token, headers: { 'if-match': '"3"' } });
    expect(del.status, del.text).toBeLessThan(300);
    expect((await restCall(t.db, 'GET', `/webhooks/${id}`, { token })).status).toBe(404);
    const audit = await t.db.auditEvent.findMany({ where: { targetId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.via])).toEqual([
      ['webhook.create', 'token:hooks-script'],
      ['webhook.update', 'token:hooks-script'],
      ['webhook.test', 'token:hooks-script'],
      ['webhook.rotate-secret', 'token:hooks-script'],
      ['webhook.remove', 'token:hooks-script'],
    ]);
  });
});
