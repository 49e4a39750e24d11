import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { restCall, tokenFor } from '../../../test/api-fixtures';
import { chaosFleet, makeExperiment, runAt } from '../../../test/experiment-fixtures';
import { makeDefaultPolicies } from '../../db/factories';
import { defaultPolicies } from '../../domain/policy-defaults';

// The other flows a script relies on, over /api/v1 against real procedures and PostgreSQL: an
// experiment run started twice with one Idempotency-Key is one run; halt-all engaged and
// released by the right roles; a policy published with a stale If-Match is 412; /status's shape.

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await makeDefaultPolicies(t.db);
});
afterAll(() => t.close());

const call = (method: string, path: string, o: Parameters<typeof restCall>[3] = {}) => restCall(t.db, method, path, o);

describe('REST: experiment runs', () => {
  it('one Idempotency-Key, two POSTs: one run, the same answer; the run is listed, read with its ETag, aborted by an operator and not by a viewer', async () => {
    const f = await chaosFleet(t.db);
    const e = await makeExperiment(t.db, f);
    const op = await tokenFor(t.db, 'operator', { user: f.operator });
    const first = await call('POST', `/experiments/${e.id}/runs`, { token: op.secret, headers: { 'idempotency-key': 'run-1' }, body: {} });
    expect(first.status, first.text).toBe(201);
    const second = await call('POST', `/experiments/${e.id}/runs`, { token: op.secret, headers: { 'idempotency-key': 'run-1' }, body: {} });
    expect([second.status, second.json.id, second.headers.get('idempotent-replayed')]).toEqual([201, first.json.id, 'true']);
    expect(await t.db.experimentRun.count({ where: { experimentId: e.id } })).toBe(1);

    const runs = await call('GET', `/runs?experimentId=${e.id}`, { token: op.secret });
    expect(runs.status).toBe(200);
    expect(runs.json.items?.map((r) => r.id)).toEqual([first.json.id]);
    const run = await call('GET', `/runs/${first.json.id as string}`, { token: op.secret });
    expect(run.status).toBe(200);
    expect(run.headers.get('etag')).toMatch(/^"\d+"$/);

    const viewer = await tokenFor(t.db, 'viewer', { user: f.viewer });
    expect((await call('POST', `/runs/${first.json.id as string}/abort`, { token: viewer.secret, body: { reason: 'no' } })).status).toBe(403);
    const aborted = await call('POST', `/runs/${first.json.id as string}/abort`, { token: op.secret, body: { reason: 'done testing' } });
    expect(aborted.status, aborted.text).toBe(200);
    expect((await t.db.experimentRun.findUniqueOrThrow({ where: { id: first.json.id as string } })).stateDetail).toMatch(/done testing/);
  });

  it('answers the report as JSON, or as text/markdown with ?format=markdown; 404 for an unknown run', async () => {
    const { run } = await runAt(t.db, 'reported');
    const v = await tokenFor(t.db, 'viewer');
    const json = await call('GET', `/runs/${run.id}/report`, { token: v.secret });
    expect([json.status, json.headers.get('content-type')]).toEqual([200, 'application/json']);
    expect(json.json.layers).toEqual([]);
    expect(typeof json.json.summary).toBe('string');
    const md = await call('GET', `/runs/${run.id}/report?format=markdown`, { token: v.secret });
    expect([md.status, md.headers.get('content-type')]).toEqual([200, 'text/markdown']);
    expect(md.text).toMatch(/^#/);
    expect((await call('GET', '/runs/00000000-0000-4000-8000-000000000000/report', { token: v.secret })).status).toBe(404);
  });
});

describe('REST: halt-all', () => {
  it('an operator engages with a reason, only an approver releases, the history lists it', async () => {
    const op = await tokenFor(t.db, 'operator');
    const appr = await tokenFor(t.db, 'approver');
    const engaged = await call('POST', '/halt/engage', { token: op.secret, body: { reason: 'incident 42' }, headers: { 'idempotency-key': 'halt-42' } });
    expect(engaged.status, engaged.text).toBe(200);
    const status = await call('GET', '/halt', { token: op.secret });
    expect(status.json).toMatchObject({ engaged: true, halt: { reason: 'incident 42', engagedByName: op.user.name } });
    const fleet = await call('GET', '/status', { token: op.secret });
    expect(fleet.json.halt).toMatchObject({ engaged: true, reason: 'incident 42', by: op.user.name });

    const twice = await call('POST', '/halt/engage', { token: op.secret, body: { reason: 'again' } });
    expect(twice.status).toBe(409);
    expect(twice.json.detail).toMatch(/already engaged/);
    expect((await call('POST', '/halt/release', { token: op.secret, body: { reason: 'fixed' } })).status).toBe(403);
    const released = await call('POST', '/halt/release', { token: appr.secret, body: { reason: 'fixed' } });
    expect(released.status, released.text).toBe(200);
    expect((await call('GET', '/halt', { token: op.secret })).json.engaged).toBe(false);

    const halts = await call('GET', '/halts?limit=1', { token: op.secret });
    expect(halts.json.items).toEqual([expect.objectContaining({ reason: 'incident 42', releasedByName: appr.user.name, releaseReason: 'fixed' })]);
    expect(halts.json.nextCursor).toBeNull();
  });
});

describe('REST: policies', () => {
  it('publishes with If-Match from the ETag; the same If-Match again is 412 naming the current version', async () => {
    const admin = await tokenFor(t.db, 'admin');
    const got = await call('GET', '/policies/breaker/global', { token: admin.secret });
    expect(got.status).toBe(200);
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(`"${got.json.version as number}"`);
    const body = { document: { ...defaultPolicies.breaker }, message: 'from a script' };
    const published = await call('POST', '/policies/breaker/global/publish', { token: admin.secret, body, headers: { 'if-match': etag } });
    expect(published.status, published.text).toBe(200);
    const stale = await call('POST', '/policies/breaker/global/publish', { token: admin.secret, body, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.json.currentVersion).toBe((got.json.version as number) + 1);
    const diff = await call('GET', `/policies/breaker/global/diff?a=${got.json.version as number}&b=${(got.json.version as number) + 1}`, { token: admin.secret });
    expect(diff.status, diff.text).toBe(200);
    const op = await tokenFor(t.db, 'operator');
    expect((await call('POST', '/policies/breaker/global/publish', { token: op.secret, body, headers: { 'if-match': `"${(got.json.version as number) + 1}"` } })).status).toBe(403);
  });
});

describe('REST: GET /status', () => {
  it('answers health, halt, running rollouts and experiments to any token; 401 without one', async () => {
    expect((await call('GET', '/status')).status).toBe(401);
    const { run } = await runAt(t.db, 'running');
    const v = await tokenFor(t.db, 'viewer');
    const s = await call('GET', '/status', { token: v.secret });
    expect(s.status).toBe(200);
    expect(Object.keys(s.json).sort()).toEqual(['experiments', 'freezes', 'halt', 'health', 'rollouts']);
    expect(s.json.health).toMatchObject({ database: { ok: true } });
    expect(['ok', 'degraded', 'down']).toContain((s.json.health as { status: string }).status);
    expect(s.json.halt).toMatchObject({ engaged: false, reason: null, by: null, at: null });
    expect(s.json.experiments).toContainEqual(expect.objectContaining({ runId: run.id, state: 'running' }));
  });
});
