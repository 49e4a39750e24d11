import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/context';
import { restCall, tokenFor } from '../../../test/api-fixtures';
import { rolloutFleet, runUntil, specFor } from '../../../test/rollout-fixtures';
import type { RolloutStep } from '../../domain/rollouts/spec';

// A rollout driven over /api/v1 the way the CLI drives it: an operator's token creates and
// starts it, the reconciler (played by the test, as the worker would) brings it to its approval
// gate, another person's approver token approves it by rollout id, and a third promotes it past
// its last pause to success. Real procedures, real database, tokens as the audit sees them.

let t: TestDb;
beforeAll(async () => (t = await openTestDb()));
afterAll(() => t.close());

const call = (method: string, path: string, o: Parameters<typeof restCall>[3] = {}) => restCall(t.db, method, path, o);

const steps: RolloutStep[] = [
  { kind: 'approval', quorum: 1, expiresInS: 600, onExpiry: 'abort' },
  { kind: 'setWeight', weight: 20 },
  { kind: 'pause', seconds: 3600 },
];

describe('REST: a rollout from creation to promotion', () => {
  it('creates, starts (idempotently), is approved by another approver, promoted, and succeeds; status shows it on the way', async () => {
    const f = await rolloutFleet(t.db);
    const operator = await tokenFor(t.db, 'operator', { user: { ...f.operator, role: 'operator' }, name: 'ci-deploy' });
    const approver = await tokenFor(t.db, 'approver', { user: { ...f.approver1, role: 'approver' } });
    const approver2 = await tokenFor(t.db, 'approver', { user: { ...f.approver2, role: 'approver' } });

    const created = await call('POST', '/rollouts', { token: operator.secret, body: { spec: specFor(f.service.name, steps) } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;

    const got = await call('GET', `/rollouts/${id}`, { token: operator.secret });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id, state: 'pending', service: { name: f.service.name } });
    const etag = got.headers.get('etag');
    expect(etag).toBe(`"${got.json.version as number}"`);

    // Start with If-Match and an Idempotency-Key: a retry of the same request replays the answer
    // instead of failing on the version it already moved.
    const start = { token: operator.secret, headers: { 'if-match': etag!, 'idempotency-key': `start-${id}` } };
    const started = await call('POST', `/rollouts/${id}/start`, start);
    expect(started.status, started.text).toBe(200);
    const again = await call('POST', `/rollouts/${id}/start`, start);
    expect([again.status, again.text, again.headers.get('idempotent-replayed')]).toEqual([200, started.text, 'true']);
    expect(await t.db.auditEvent.count({ where: { action: 'rollout.start', targetId: id } })).toBe(1);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: 'rollout.start', targetId: id } });
    expect([audit.actorName, audit.via]).toEqual([f.operator.name, 'token:ci-deploy']);

    // Nothing waits for an approval yet (the reconciler has not reached the gate): 409 in words.
    const early = await call('POST', `/rollouts/${id}/approve`, { token: approver.secret, body: { reason: 'too early' } });
    expect(early.status).toBe(409);
    expect(early.json.detail).toMatch(/is not waiting for an approval/);

    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const status = await call('GET', '/status', { token: operator.secret });
    expect(status.status).toBe(200);
    expect(status.json.rollouts).toEqual([expect.objectContaining({ id, service: f.service.name, state: 'paused', step: 0, awaitingApproval: true })]);

    // The operator who started it may not approve (role), and neither may a reason-less approver.
    expect((await call('POST', `/rollouts/${id}/approve`, { token: operator.secret, body: { reason: 'mine' } })).status).toBe(403);
    const noReason = await call('POST', `/rollouts/${id}/approve`, { token: approver.secret, body: {} });
    expect(noReason.status).toBe(422);
    expect(noReason.json.errors).toHaveProperty('reason');

    // An approver who reviewed an older version of the rollout is refused (412 naming the current one).
    const seen = await call('GET', `/rollouts/${id}`, { token: approver.secret });
    const seenVersion = Number(seen.headers.get('etag')!.replace(/"/g, ''));
    const stale = await call('POST', `/rollouts/${id}/approve`, { token: approver.secret, headers: { 'if-match': `"${seenVersion - 1}"` }, body: { reason: 'looked earlier' } });
    expect([stale.status, stale.json.currentVersion]).toEqual([412, seenVersion]);
    const approved = await call('POST', `/rollouts/${id}/approve`, { token: approver.secret, headers: { 'if-match': `"${seenVersion}"` }, body: { reason: 'canary looks fine' } });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json).toMatchObject({ rolloutId: id, decision: 'approve', state: 'approved' });
    const decision = await t.db.approvalDecision.findFirstOrThrow({ where: { request: { rolloutId: id } } });
    expect([decision.approverName, decision.decision, decision.reason]).toEqual([f.approver1.name, 'approve', 'canary looks fine']);

    // Past the gate, held by the hour-long pause: promote skips it (If-Match from a fresh GET).
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused' && r.currentStep === 2);
    const before = await call('GET', `/rollouts/${id}`, { token: approver2.secret });
    const promoted = await call('POST', `/rollouts/${id}/promote`, { token: approver2.secret, headers: { 'if-match': before.headers.get('etag')! } });
    expect(promoted.status, promoted.text).toBe(200);
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'succeeded');

    const done = await call('GET', `/rollouts/${id}`, { token: operator.secret });
    expect(done.json.state).toBe('succeeded');
    const list = await call('GET', '/rollouts?state=succeeded', { token: operator.secret });
    expect(list.json.items?.map((r) => r.id)).toEqual([id]);
    expect((await call('GET', '/status', { token: operator.secret })).json.rollouts).toEqual([]);
  });

  it('rejects by rollout id: the rollout aborts; a stale If-Match on an action is 412 naming the current version', async () => {
    const f = await rolloutFleet(t.db);
    const operator = await tokenFor(t.db, 'operator', { user: { ...f.operator, role: 'operator' } });
    const approver = await tokenFor(t.db, 'approver', { user: { ...f.approver1, role: 'approver' } });
    const created = await call('POST', '/rollouts', { token: operator.secret, body: { spec: specFor(f.service.name, steps) } });
    const id = created.json.id as string;
    const v = created.json.version as number;
    expect((await call('POST', `/rollouts/${id}/start`, { token: operator.secret, body: { version: v } })).status).toBe(200);

    const stale = await call('POST', `/rollouts/${id}/pause`, { token: operator.secret, headers: { 'if-match': `"${v}"` } });
    expect(stale.status).toBe(412);
    expect(stale.json.currentVersion).toBe(v + 1);

    await runUntil(t.db, id, f.service.id, (r) => r.state === 'paused');
    const rejected = await call('POST', `/rollouts/${id}/reject`, { token: approver.secret, body: { reason: 'error budget spent' } });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.json).toMatchObject({ decision: 'reject', state: 'rejected' });
    await runUntil(t.db, id, f.service.id, (r) => r.state === 'aborted' || r.state === 'rolled_back');
  });
});
