// The whole CLI in-process against a small fake API on 127.0.0.1 (real fetch, real headers): what
// each command sends, what it prints and the exit code. The real API is exercised in e2e/cli.spec.ts.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import { defaultWeightPolicy } from '../server/domain/policy-defaults';

const TOKEN = 'sbt_abcdefgh_0123456789012345678901234567890123456789012';
const ID = '3f2b8c1e-0000-4000-8000-000000000001';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}
const seen: Seen[] = [];
type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
let handler: (req: Seen) => Reply = () => ({ status: 404 });

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const s: Seen = { method: req.method!, url: req.url!, headers: req.headers, body: data ? JSON.parse(data) : undefined };
      seen.push(s);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'The token is not valid' }));
        return;
      }
      const r = handler(s);
      const problem = r.status >= 400;
      res.writeHead(r.status, { 'content-type': problem ? 'application/problem+json' : 'application/json', ...r.headers }).end(r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function cli(argv: string[], opts: { env?: Record<string, string>; stdin?: string; tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  seen.length = 0;
  const code = await run(argv, {
    env: { SWITCHBACK_URL: base, SWITCHBACK_TOKEN: TOKEN, ...opts.env },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: opts.tty ?? false,
    readStdin: () => Promise.resolve(opts.stdin ?? ''),
    sleep: async () => {},
  });
  return { code, stdout, stderr };
}

const status = { health: 'healthy', halt: { engaged: false, reason: null, by: null, at: null }, rollouts: [{ id: ID, name: 'checkout v2', service: 'checkout', state: 'progressing', pauseReason: null, step: 1, stepCount: 4, canaryPct: 10 }], experiments: [] };

describe('login', () => {
  it('checks the token with one call, then stores URL and token 0600', async () => {
    handler = (r) => (r.url === '/api/v1/status' ? { status: 200, body: status } : { status: 404 });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sb-login-')), 'switchback', 'config.json');
    const r = await cli(['login', `${base}/`, '--config', file], { env: { SWITCHBACK_URL: '', SWITCHBACK_TOKEN: '' }, stdin: `${TOKEN}\n` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Logged in to http:\/\/127\.0\.0\.1:\d+ \(token sbt_abcdefgh…\)/);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/v1/status']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The stored login is what the next command uses.
    const next = await cli(['status', '--config', file], { env: { SWITCHBACK_URL: '', SWITCHBACK_TOKEN: '' } });
    expect(next.code).toBe(0);
  });

  it('stores nothing when the server refuses the token (exit 2)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sb-login-')), 'c.json');
    const r = await cli(['login', base, '--token', 'sbt_wrong', '--config', file], { env: { SWITCHBACK_URL: '', SWITCHBACK_TOKEN: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('switchback: Unauthorized: The token is not valid (HTTP 401)\n  Log in again: switchback login URL --token TOKEN (or set SWITCHBACK_TOKEN).\n');
    expect(() => statSync(file)).toThrow();
  });
});

describe('status and lists', () => {
  it('prints the fleet as aligned text, and the API JSON as is with --json', async () => {
    handler = () => ({ status: 200, body: status });
    const r = await cli(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Health:  healthy\nHalt:    released\n');
    expect(r.stdout).toMatch(new RegExp(`Running rollouts\\nID +NAME +SERVICE +STATE +STEP +CANARY +ANALYSIS\\n${ID} +checkout v2 +checkout +Progressing +2/4 +10% +—`));
    expect(r.stdout).toContain('No experiments running.');
    expect(r.stdout).not.toContain('\u001b');
    const j = await cli(['status', '--json']);
    expect(JSON.parse(j.stdout)).toEqual(status);
  });

  it('passes list filters as the query and says what to do on an empty list', async () => {
    handler = () => ({ status: 200, body: { items: [], nextCursor: null } });
    const r = await cli(['rollouts', 'list', '--state', 'paused', '--limit', '5']);
    expect(seen[0]!.url).toBe('/api/v1/rollouts?state=paused&limit=5');
    expect(r.stdout).toBe('No paused rollouts.\n');
    expect((await cli(['rollouts', 'list', '--state', 'nope'])).code).toBe(1);
    expect((await cli(['rollouts', 'list', '--state', 'in-flight'])).stdout).toBe('No in-flight rollouts.\n');
    expect(seen.at(-1)!.url).toBe('/api/v1/rollouts?state=in-flight');
  });
});

describe('rollouts', () => {
  it('create: validates the file with the domain parser, every problem at its line, before any request', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-create-'));
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'kind: Rollout\nname: x\nservice: checkout\nstableVersion: v1\ncanaryVersion: v2\nsteps:\n  - { kind: setWeight, weight: 500 }\n');
    const r = await cli(['rollouts', 'create', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^switchback: ${bad.replace(/[/.]/g, '\\$&')} is not a valid rollout:\\n  .*bad\\.yaml:7: steps\\.0\\.weight: `));
    expect(seen).toEqual([]);
    expect((await cli(['rollouts', 'create', '-f', path.join(dir, 'missing.yaml')])).stderr).toMatch(/missing\.yaml: no such file/);
  });

  it('create: posts the parsed spec and says how to start it', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sb-create-')), 'ok.yaml');
    writeFileSync(file, 'kind: Rollout\nname: checkout v2\nservice: checkout\nstableVersion: v1\ncanaryVersion: v2\nsteps:\n  - { kind: setWeight, weight: 10 }\n');
    handler = () => ({ status: 201, body: { id: ID, version: 1 } });
    const r = await cli(['rollouts', 'create', '-f', file]);
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/rollouts', body: { spec: { name: 'checkout v2', service: 'checkout', steps: [{ kind: 'setWeight', weight: 10 }] } } });
    expect(r.stdout).toBe(`Created rollout ${ID} (checkout v2), pending.\nStart it: switchback rollouts start ${ID}\n`);
  });

  it('start: sends If-Match with the version it read and an Idempotency-Key', async () => {
    handler = (s) => (s.method === 'GET' ? { status: 200, body: { id: ID, version: 4 }, headers: { etag: '"4"' } } : { status: 200, body: { id: ID, state: 'progressing', version: 5 } });
    const r = await cli(['rollouts', 'start', ID]);
    expect(r.code).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`GET /api/v1/rollouts/${ID}`, `POST /api/v1/rollouts/${ID}/start`]);
    expect(seen[1]!.headers['if-match']).toBe('"4"');
    expect(seen[1]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stdout).toBe(`Started rollout ${ID} — now Progressing.\n`);
  });

  it('a stale version exits 3 naming the current one; --version skips the read', async () => {
    handler = () => ({ status: 412, body: { type: 'about:blank', title: 'Changed meanwhile', status: 412, detail: 'The rollout changed since version 2', currentVersion: 3 } });
    const r = await cli(['rollouts', 'promote', ID, '--version', '2']);
    expect(seen.map((s) => `${s.method} ${s.url} ${s.headers['if-match']}`)).toEqual([`POST /api/v1/rollouts/${ID}/promote "2"`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/The rollout changed since version 2 \(HTTP 412\)\n {2}The current version is 3/);
  });

  it('approve and abort need a reason; a 403 exits 2 in words; a 404 exits 4', async () => {
    expect((await cli(['rollouts', 'approve', ID])).code).toBe(1);
    expect(seen).toEqual([]);
    handler = () => ({ status: 403, body: { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Approvers decide approvals' } });
    const r = await cli(['rollouts', 'approve', ID, '--reason', 'looks good']);
    expect(seen[0]).toMatchObject({ method: 'POST', url: `/api/v1/rollouts/${ID}/approve`, body: { reason: 'looks good' } });
    expect(r).toMatchObject({ code: 2, stderr: 'switchback: Forbidden: Approvers decide approvals (HTTP 403)\n' });
    handler = () => ({ status: 404, body: { type: 'about:blank', title: 'Not found', status: 404, detail: 'That rollout does not exist' } });
    expect((await cli(['rollouts', 'get', ID])).code).toBe(4);
  });

  it('watch follows the rollout to its end: 0 when it succeeds, 3 when it rolls back', async () => {
    let polls = 0;
    const states = ['progressing', 'progressing', 'promoting', 'succeeded'];
    handler = () => ({ status: 200, body: { id: ID, state: states[Math.min(polls++, 3)], currentStep: 0, stepCount: 2, desiredCanaryPct: 10 } });
    const ok = await cli(['rollouts', 'watch', ID]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(4); // 3 changes + the outcome
    polls = 0;
    handler = () => ({ status: 200, body: { id: ID, state: polls++ === 0 ? 'progressing' : 'rolled_back', abortReason: 'analysis_failed' } });
    const back = await cli(['rollouts', 'watch', ID]);
    expect(back.code).toBe(3);
    expect(back.stdout).toMatch(/The rollout rolled back: Rolled back \(analysis failed\)\.\n$/);
  });
});

describe('experiments', () => {
  const RUN = '3f2b8c1e-0000-4000-8000-0000000000aa';
  const ID2 = '3f2b8c1e-0000-4000-8000-0000000000bb';
  const experiment = { id: ID, name: 'jitter on one gateway', faultKind: 'delay', services: ['edge-gateway'], templateKey: 'seed-jitter', lastRun: { id: RUN, number: 2, state: 'running', abortReason: null } };

  it('list: a row per experiment with its last run; --json as the API sent it; an empty list says what to do', async () => {
    handler = () => ({ status: 200, body: { items: [experiment, { ...experiment, id: RUN, name: 'never run', lastRun: null }, { ...experiment, id: ID2, name: 'stopped', lastRun: { id: RUN, state: 'aborted', abortReason: 'manual' } }], nextCursor: 'abc' } });
    const r = await cli(['experiments', 'list']);
    expect(r.code).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/v1/experiments']);
    expect(r.stdout).toMatch(new RegExp(`^ID +NAME +FAULT +SERVICES +LAST RUN +STATE\n${ID} +jitter on one gateway +delay +edge-gateway +${RUN} +Running\n${RUN} +never run +delay +edge-gateway +— +—\n${ID2} +stopped +delay +edge-gateway +${RUN} +Aborted \\(aborted by a person\\)\nMore: switchback experiments list --cursor abc\n$`));
    const j = await cli(['experiments', 'list', '--json', '--cursor', 'abc']);
    expect(seen[0]!.url).toBe('/api/v1/experiments?cursor=abc');
    expect(JSON.parse(j.stdout)).toMatchObject({ items: [experiment, { id: RUN, lastRun: null }, { id: ID2, lastRun: { state: 'aborted' } }], nextCursor: 'abc' });
    handler = () => ({ status: 200, body: { items: [], nextCursor: null } });
    expect((await cli(['experiments', 'list'])).stdout).toBe('No experiments yet. Create one in the console (Experiments → New).\n');
  });

  it('run: posts with an Idempotency-Key, prints the run id and how to abort it; overrides are reasons, sent only when given', async () => {
    handler = () => ({ status: 201, body: { id: RUN, number: 3, version: 1, targets: 1, warnings: ['no dead man\'s switch'] } });
    const r = await cli(['experiments', 'run', ID]);
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'POST', url: `/api/v1/experiments/${ID}/runs`, body: {} });
    expect(seen[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stdout).toBe(`Started run ${RUN} of experiment ${ID} on 1 targets.\n  warning: no dead man's switch\nAbort it: switchback experiments abort ${RUN} --reason "…"\n`);
    await cli(['experiments', 'run', ID, '--override-guard', 'zone b known hot', '--override-freeze', 'game day']);
    expect(seen[0]!.body).toEqual({ guardOverrideReason: 'zone b known hot', freezeOverrideReason: 'game day' });
    expect((await cli(['experiments', 'run', ID, '--override-guard', ' '])).code).toBe(1);
    expect((await cli(['experiments', 'run', 'nope'])).code).toBe(1);
    expect(seen).toEqual([]);
    handler = () => ({ status: 409, body: { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Experiment "x" cannot start: halt-all is engaged.' } });
    const refused = await cli(['experiments', 'run', ID]);
    expect(refused).toMatchObject({ code: 3, stderr: 'switchback: Conflict: Experiment "x" cannot start: halt-all is engaged. (HTTP 409)\n' });
  });

  it('abort: needs a reason, posts it, says the state; a 404 exits 4', async () => {
    expect((await cli(['experiments', 'abort', RUN])).code).toBe(1);
    expect(seen).toEqual([]);
    handler = () => ({ status: 200, body: { id: RUN, version: 5, state: 'recovering' } });
    const r = await cli(['experiments', 'abort', RUN, '--reason', 'enough']);
    expect(seen[0]).toMatchObject({ method: 'POST', url: `/api/v1/runs/${RUN}/abort`, body: { reason: 'enough' } });
    expect(r).toMatchObject({ code: 0, stdout: `Aborting run ${RUN} — now Recovering: its faults are being removed.\n` });
    handler = () => ({ status: 404, body: { type: 'about:blank', title: 'Not found', status: 404, detail: 'That run does not exist' } });
    expect((await cli(['experiments', 'abort', RUN, '--reason', 'enough'])).code).toBe(4);
  });

  it('report: Markdown as the server sent it by default, the JSON with --json; not both; no report yet exits 3', async () => {
    handler = (s) => (s.url.includes('format=markdown') ? { status: 200, body: '# Report\n', headers: { 'content-type': 'text/markdown' } } : { status: 200, body: { summary: 'ok', layers: [] } });
    const md = await cli(['experiments', 'report', RUN]);
    expect(seen[0]!.url).toBe(`/api/v1/runs/${RUN}/report?format=markdown`);
    expect(md).toMatchObject({ code: 0, stdout: '# Report\n' });
    expect((await cli(['experiments', 'report', RUN, '--markdown'])).stdout).toBe('# Report\n');
    const j = await cli(['experiments', 'report', RUN, '--json']);
    expect(seen[0]!.url).toBe(`/api/v1/runs/${RUN}/report`);
    expect(JSON.parse(j.stdout)).toEqual({ summary: 'ok', layers: [] });
    expect((await cli(['experiments', 'report', RUN, '--json', '--markdown'])).code).toBe(1);
    handler = () => ({ status: 412, body: { type: 'about:blank', title: 'Precondition failed', status: 412, detail: 'Run "x #1" has no report yet' } });
    expect((await cli(['experiments', 'report', RUN])).code).toBe(3);
  });
});

describe('other commands', () => {
  it('halt engage posts the reason; a viewer is refused with exit 2', async () => {
    handler = () => ({ status: 403, body: { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Operators engage the halt' } });
    const r = await cli(['halt', 'engage', '--reason', 'incident 42']);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/halt/engage', body: { reason: 'incident 42' } });
    expect(r.code).toBe(2);
  });

  it('policies publish sends the file with If-Match of the version it read', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sb-pol-')), 'weight.yaml');
    writeFileSync(file, 'nonsense: true\n');
    expect((await cli(['policies', 'publish', 'weight', '-f', file, '-m', 'x'])).stderr).toMatch(/is not a valid weight policy:\n {2}/);
    expect((await cli(['policies', 'publish', 'nope', '-f', file, '-m', 'x'])).code).toBe(1);
    expect(seen).toEqual([]);

    const changed = structuredClone(defaultWeightPolicy) as Record<string, unknown>;
    const key = Object.keys(changed).find((k) => typeof changed[k] === 'number')!;
    const before = changed[key] as number;
    changed[key] = before + 1;
    writeFileSync(file, JSON.stringify(changed));
    handler = (s) =>
      s.method === 'GET' ? { status: 200, body: { kind: 'weight', scope: 'global', version: 3, document: defaultWeightPolicy }, headers: { etag: '"3"' } } : { status: 200, body: { version: 4 } };
    const diff = await cli(['policies', 'diff', 'weight', '-f', file]);
    expect(diff.stdout).toMatch(new RegExp(`^FIELD +PUBLISHED v3 +FILE weight\\.yaml\n${key} +${before} +${before + 1}\n$`));
    const ok = await cli(['policies', 'publish', 'weight', '-f', file, '-m', 'one more']);
    expect(ok).toMatchObject({ code: 0, stdout: 'Published weight policy (global) version 4.\n' });
    expect(seen[1]).toMatchObject({ method: 'POST', url: '/api/v1/policies/weight/global/publish', headers: { 'if-match': '"3"' }, body: { document: changed, message: 'one more' } });

    handler = () => ({ status: 412, body: { type: 'about:blank', title: 'Changed meanwhile', status: 412, detail: 'Version 5 was published since version 3', currentVersion: 5 } });
    const stale = await cli(['policies', 'publish', 'weight', '-f', file, '-m', 'one more', '--version', '3']);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/The current version is 5/);
  });

  it('an unreachable server exits 5 in words; an unknown command exits 1', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await cli(['status'], { env: { SWITCHBACK_URL: `http://127.0.0.1:${port}` } });
    expect(r).toMatchObject({ code: 5, stderr: `switchback: Cannot reach http://127.0.0.1:${port}: connection refused (is Switchback running there?).\n` });
    const u = await cli(['rollouts', 'frobnicate']);
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/Unknown command "rollouts frobnicate"\. Commands of "rollouts": list, get, watch, create, start/);
    expect((await cli(['--help'])).stdout).toMatch(/Exit codes:\n {2}0 {2}done/);
  });
});
