import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { z } from 'zod';
import { appRouter } from './root';
import { makeFleet, makeUser } from '../db/factories';
import type { Role } from '../db/generated/enums';
import { openTestDb, type TestDb } from '../../test/context';
import { httpApi, ORIGIN, type HttpResult } from '../../test/http';
import { hashSeed, hostileInputs, OMIT, plausible, type Hint, type JsonSchema } from '../../test/fuzz-inputs';
import { MAX_BATCH } from './request-guard';
import { exampleSpec } from '../domain/rollouts/spec';
import { rolloutToArgo } from '../domain/manifests/argo-export';
import { experimentToChaosMesh } from '../domain/manifests/chaos-export';
import { createRollout } from '../services/rollouts/rollout-commands';
import { createExperiment } from '../services/experiments/experiment-commands';
import { createSchedule } from '../services/experiments/schedules';
import { draftFor } from '../../test/safety-fixtures';
import { experimentSpecSchema } from '../domain/experiments/spec';
import { startRun } from '../services/experiments/run-start';

// Every procedure, as every role, through the HTTP handler (request guard, superjson, batching,
// errorFormatter): generated hostile input must be answered below 500 and without internals.
// 30 of 1,032 such requests once answered 500 with PostgreSQL text. The database is this file's
// clone, so valid-looking mutations may change it.
const CASES_PER_PROCEDURE = 26;
const BATCH = 10;
// Mutations are batched too: tRPC runs a batch's calls concurrently, so two valid-looking creates
// of one name race into a unique violation, which must answer 409 in words, never 500.
const MUTATION_BATCH = BATCH;
// SQL keywords in capitals only: a policy's field specs say `kind: 'select'`.
const LEAK = /[Pp]risma|\bSELECT\b|\bWHERE\b|at Object\.|invalid input syntax|ZodError|Maximum call stack|\.ts:\d+/;
// Payloads no serializer would write: superjson meta that decodes to an invalid Date, a huge
// bigint, a meta of the wrong shape.
const RAW_PAYLOADS: unknown[] = [
  { json: 'garbage', meta: { values: ['Date'] } },
  { json: { from: 'garbage', to: '9'.repeat(30) }, meta: { values: { from: ['Date'], to: ['Date'] } } },
  { json: '9'.repeat(400), meta: { values: ['bigint'] } },
  { json: {}, meta: { values: 'x' } },
];

type Procedure = { _def: { type: 'query' | 'mutation' | 'subscription'; inputs: z.ZodType[] } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, Procedure> }).procedures)
  // Signing out ends the session the later cases of that role use: last.
  .sort(([a], [b]) => Number(a === 'auth.logout') - Number(b === 'auth.logout'));

const ROLES: Array<Role | null> = [null, 'viewer', 'operator', 'approver', 'admin'];

let t: TestDb;
let api: ReturnType<typeof httpApi>;
let hintFor: (path: string) => Hint;
const cookies = new Map<Role | null, string>();

beforeAll(async () => {
  t = await openTestDb();
  api = httpApi(t);
  await makeFleet(t.db, {
    regions: [{ name: 'r-fuzz', zones: [{ name: 'z-fuzz', clusters: ['c-fuzz'] }] }],
    services: [{ name: 'svc-fuzz', placement: [{ cluster: 'c-fuzz', versions: { v1: 1, v2: 1 } }] }],
  });
  const service = await t.db.service.findFirstOrThrow();
  const instance = await t.db.instance.findFirstOrThrow();
  const cluster = await t.db.cluster.findFirstOrThrow();
  const { user: victim } = await makeUser(t.db);
  const adapter = await t.db.adapterConfig.create({ data: { name: 'fuzz-sim', kind: 'sim', config: {} } });
  const absent = '00000000-0000-4000-8000-000000000000';
  // A live token of another user: revoke cases reach the owner check (and an admin's revoke).
  const victimToken = await t.db.apiToken.create({ data: { userId: victim.id, name: 'fuzz-token', tokenHash: 'f'.repeat(64), prefix: 'fuzzfuzz', role: 'viewer', expiresAt: new Date(Date.now() + 86_400_000) } });
  // A rollout of svc-fuzz (v1 → v2) and an approval request of it, so the rollouts.* cases get past
  // "not found" and the spec's own checks (stable ≠ canary, a service that has both versions) to
  // the commands and the capability checks; `remove` gets a rollout of its own, so it cannot take
  // the others' away.
  const spec = exampleSpec(service.name, 'v1', 'v2');
  const rollout = await createRollout(t.db, { id: null, name: 'fuzz' }, { spec });
  const removable = await createRollout(t.db, { id: null, name: 'fuzz' }, { spec: { ...spec, name: 'fuzz removable' } });
  const request = await t.db.approvalRequest.create({ data: { rolloutId: rollout.id, attempt: 1, stepIndex: 0, quorum: 1, onExpiry: 'abort', expiresAt: new Date(Date.now() + 3_600_000) } });
  const experiment = await createExperiment(t.db, { id: null, name: 'fuzz' }, { draft: draftFor(service.name, { name: 'fuzz experiment' }) });
  const schedule = await createSchedule(t.db, { id: null, name: 'fuzz' }, { experimentId: experiment.id, cron: '0 3 * * *' });
  const freeze = await t.db.freezeWindow.create({ data: { name: 'fuzz', reason: 'fuzz', kind: 'one_off', startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 90_000_000), createdByName: 'fuzz' } });
  // An experiment on svc-fuzz and a run of it, so experiments.* cases reach the run code.
  const chaosSpec = experimentSpecSchema.parse({ fault: { kind: 'delay', delayMs: 100, jitterMs: 10 }, targets: { services: [service.name] }, selection: { mode: 'one' }, durationS: 30 });
  const chaosExperiment = await t.db.experiment.create({ data: { name: 'fuzz-chaos', spec: JSON.parse(JSON.stringify(chaosSpec)) as object, createdByName: 'fuzz' } });
  const chaosRun = await startRun(t.db, { id: null, name: 'fuzz', role: 'operator' }, { experimentId: chaosExperiment.id });
  // Webhook subscriptions (a receiver that is never reached: no worker runs here); remove gets its own.
  const hook = (name: string) => t.db.webhookSubscription.create({ data: { name, url: 'http://127.0.0.1:9/fuzz', events: ['halt_engaged'], secret: 'whsec_fuzz', createdByName: 'fuzz' } });
  const webhook = await hook('fuzz');
  const removableWebhook = await hook('fuzz removable');
  const rolloutHint: Record<string, unknown> = { service: service.name, stableVersion: 'v1', canaryVersion: 'v2', requestId: request.id };
  // Real ids and names where a procedure looks one up, so a case reaches the code behind "not found".
  hintFor = (path) => (key) => {
    // sim.stress takes an instance by id or by name, not both.
    if (path === 'sim.stress' && key === 'instanceName') return OMIT;
    // tokens.create takes an expiry in days or as a date, not both.
    if (path === 'tokens.create' && key === 'expiresAt') return OMIT;
    if (path === 'tokens.revoke' && key === 'id') return victimToken.id;
    if (path.startsWith('rollouts.')) {
      const target = path === 'rollouts.remove' ? removable : rollout;
      if (key === 'id') return target.id;
      if (key === 'version') return target.version;
      if (key in rolloutHint) return rolloutHint[key];
    }
    // experiments.* and safety.*: real rows, so cases get past "not found" to the commands.
    if (path.startsWith('experiments.schedules.') && (key === 'id' || key === 'version')) return key === 'id' ? schedule.id : schedule.version;
    if (path.startsWith('experiments.') && (key === 'id' || key === 'version')) return key === 'id' ? experiment.id : experiment.version;
    if (key === 'experimentId') return experiment.id;
    if (path.startsWith('experiments.schedules.') && key === 'cron') return '0 3 * * *';
    if (key === 'scheduleId') return schedule.id;
    // A one-off window tomorrow (the plausible kind): a start, an end, no cron or length.
    if (path.startsWith('safety.freezes.')) {
      if (key === 'startsAt') return new Date(Date.now() + 86_400_000);
      if (key === 'endsAt') return new Date(Date.now() + 90_000_000);
      if (key === 'cron' || key === 'durationMin') return null;
      if (key === 'appliesToRollouts') return true;
    }
    if (path.startsWith('safety.freezes.') && (key === 'id' || key === 'version')) return key === 'id' ? freeze.id : freeze.version;
    if (path.startsWith('webhooks.')) {
      const target = path === 'webhooks.remove' ? removableWebhook : webhook;
      if (key === 'id') return target.id;
      if (key === 'version') return target.version;
      if (key === 'url') return 'http://127.0.0.1:9/fuzz';
      if (key === 'events') return ['halt_engaged'];
    }
    if (path.startsWith('experiments.') && key === 'runId') return chaosRun.id;
    // The manifests of the rows above, so imports reach the create commands.
    if (path === 'manifests.rolloutExport' && key === 'id') return rollout.id;
    if (path === 'manifests.experimentExport' && key === 'id') return experiment.id;
    if (path === 'manifests.rolloutImport' && key === 'yaml') return rolloutToArgo({ ...spec, name: 'fuzz imported' }).yaml;
    if (path === 'manifests.experimentImport' && key === 'yaml') return experimentToChaosMesh(draftFor(service.name, { name: 'fuzz imported' })).yaml;
    if (key === 'serviceId') return service.id;
    if (key === 'instanceId') return instance.id;
    if (key === 'instanceName') return instance.name;
    if (key === 'id') {
      if (path.startsWith('users.')) return victim.id;
      if (path === 'topology.updateService') return service.id;
      // Importing a topology is slow and idempotent; an absent id keeps the fuzz quick.
      if (path === 'platform.importTopology') return absent;
      if (path.startsWith('platform.')) return adapter.id;
    }
    // A range that ends after it starts (audit: dates; timeline: epoch ms).
    if ((path === 'audit.list' || path === 'timeline.events') && (key === 'from' || key === 'to')) {
      const at = Date.now() - (key === 'from' ? 3_600_000 : 0);
      return path === 'audit.list' ? new Date(at) : at;
    }
    if (key === 'name') {
      if (path === 'telemetry.service') return service.name;
      if (path === 'telemetry.instance') return instance.name;
      if (path === 'topology.cluster') return cluster.name;
    }
    return undefined;
  };
  for (const role of ROLES) if (role) cookies.set(role, await api.signIn(role));
});
afterAll(() => t.close());

/** Sends `inputs` to `path` in batches (as httpBatchLink does) and returns each call's status. */
async function sendBatch(path: string, type: 'query' | 'mutation', payloads: unknown[], cookie: string | undefined): Promise<{ res: HttpResult; statuses: number[] }> {
  const paths = payloads.map(() => path).join(',');
  const input = JSON.stringify(Object.fromEntries(payloads.map((p, i) => [i, p])));
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const res =
    type === 'query'
      ? await api.send(paths, { method: 'GET', query: `batch=1&input=${encodeURIComponent(input)}`, headers })
      : await api.send(paths, { method: 'POST', query: 'batch=1', body: input, headers: { ...headers, 'content-type': 'application/json', origin: ORIGIN } });
  const items = Array.isArray(res.json) ? (res.json as Array<{ error?: { json: { data: { httpStatus: number } } } }>) : [];
  return { res, statuses: items.map((i) => i.error?.json.data.httpStatus ?? 200) };
}

describe('fuzz: hostile input to every procedure, as every role', () => {
  it('never answers 5xx and never shows SQL, Prisma or stack text', async () => {
    expect(BATCH).toBeLessThanOrEqual(MAX_BATCH);
    const failures: string[] = [];
    let sent = 0;
    for (const [path, proc] of procedures) {
      const { type, inputs } = proc._def;
      // Subscriptions answer with an SSE stream that stays open while the input is fine, so
      // telling "accepted, waiting for the next tick" from "still working" would need a wait for
      // a duration. Their inputs are the same building blocks; the parser check below covers them.
      if (type === 'subscription') continue;
      const schema = inputs[0] ? (z.toJSONSchema(inputs[0], { io: 'input', unrepresentable: 'any' }) as JsonSchema) : undefined;
      const payloads = [...hostileInputs(schema, hintFor(path), hashSeed(path), CASES_PER_PROCEDURE).map((v) => superjson.serialize(v)), ...RAW_PAYLOADS];
      for (const role of ROLES) {
        const size = type === 'mutation' ? MUTATION_BATCH : BATCH;
        let refused = true;
        for (let i = 0; i < payloads.length; i += size) {
          // A role the procedure refuses is refused before its input is read: once the first
          // BATCH cases all got 401/403, the rest would too.
          if (i >= BATCH && refused) break;
          const chunk = payloads.slice(i, i + size);
          const { res, statuses } = await sendBatch(path, type, chunk, role ? cookies.get(role) : undefined);
          sent += chunk.length;
          refused &&= statuses.length === chunk.length && statuses.every((s) => s === 401 || s === 403);
          const label = `${path} as ${role ?? 'anonymous'}, cases ${i}–${i + chunk.length - 1}`;
          const failed = statuses.findIndex((s) => s >= 500);
          if (res.status >= 500 || failed >= 0) failures.push(`${label}: ${res.status} ${JSON.stringify(superjson.deserialize(chunk[Math.max(0, failed)] as never))?.slice(0, 200)} → ${JSON.stringify(Array.isArray(res.json) ? res.json[failed] : res.json).slice(0, 300)}`);
          else if (LEAK.test(res.text)) failures.push(`${label}: leaks ${LEAK.exec(res.text)?.[0]} in ${res.text.slice(0, 300)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(2000);
    // A bound against a hang, not a speed check: thousands of requests take minutes on a busy 2-core machine.
  }, 600_000);

  it("every procedure's plausible case passes its own input schema (else every hostile case stops at validation)", () => {
    const invalid: string[] = [];
    for (const [path, proc] of procedures) {
      const schema = proc._def.inputs[0];
      if (!schema) continue;
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      const parsed = schema.safeParse(plausible(json, hintFor(path)));
      if (!parsed.success) invalid.push(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    expect(invalid).toEqual([]);
  });

  it('subscription inputs refuse the same hostile values without throwing anything but a ZodError', () => {
    for (const [path, proc] of procedures) {
      const schema = proc._def.inputs[0];
      if (proc._def.type !== 'subscription' || !schema) continue;
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      for (const v of hostileInputs(json, hintFor(path), hashSeed(path), CASES_PER_PROCEDURE)) {
        expect(() => schema.safeParse(v), path).not.toThrow();
      }
    }
  });
});
