import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { test, expect } from './support/fixtures';
import { appUrl as url, cliSession, noStack, tokenOf, type CliResult } from './support/cli';

// The rest of the `switchback` CLI against the running app (`npm start`), as child processes:
// chaos runs (list, run, abort, report), halt-all (engage as an operator, release as an approver
// only) and policies as files (get, diff, publish, a stale publish refused). Exit codes are the
// documented ones (cli/exit-codes.ts, cli/README.md): 0 done, 2 role too low, 3 conflict or stale
// version. Each test works on data of its own and leaves the demo as it found it (the run ended
// and its experiment archived, the halt released, the policy's values restored), in `finally`.

const { cli } = cliSession();
const dir = mkdtempSync(path.join(tmpdir(), 'switchback-cli-ops-'));
// Generous: every CLI run is a node start, seconds each on a busy machine.
const T = { timeout: 240_000 };

/** A script's own REST call with a token (what the CLI has no command for: creating an experiment). */
async function rest(token: string, method: string, p: string, o: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${url()}/api/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(o.body === undefined ? {} : { 'content-type': 'application/json' }), ...o.headers },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  return { status: res.status, text, json: (/json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : null) as Record<string, unknown> | null, etag: res.headers.get('etag') };
}

const json = <T>(r: CliResult): T => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

interface LastRun {
  id: string;
  state: string;
  abortReason: string | null;
}
interface ExperimentRow {
  id: string;
  name: string;
  templateKey: string | null;
  faultKind: string;
  services: string[];
  lastRun: LastRun | null;
}

/** The experiment's row as `experiments list --json` shows it. */
async function listed(id: string, token?: string): Promise<ExperimentRow | undefined> {
  return json<{ items: ExperimentRow[] }>(await cli(['experiments', 'list', '--json'], { token })).items.find((e) => e.id === id);
}

const TERMINAL = ['completed', 'aborted', 'failed', 'skipped'];

/**
 * Waits until the run runs ('running') or ended on its own ('ended: <abort reason>'): a run
 * that ended will never run, so the wait ends at once and the failure says why.
 */
async function runningOrEnded(id: string, runId: string, token: string): Promise<string> {
  let outcome = '';
  await expect
    .poll(async () => {
      const run = (await listed(id))?.lastRun;
      expect(run?.id).toBe(runId);
      outcome = run && TERMINAL.includes(run.state) ? `ended: ${run.abortReason ?? run.state}` : (run?.state ?? 'none');
      return outcome;
    }, T)
    .toMatch(/^(running|ended: .*)$/);
  if (outcome.startsWith('ended') && outcome !== 'ended: guard') {
    const detail = (await rest(token, 'GET', `/runs/${runId}`)).json?.run as { stateDetail?: string } | undefined;
    return `${outcome} (${detail?.stateDetail ?? 'no detail'})`;
  }
  return outcome;
}

test('experiments: list finds the experiment made from the seed template, run starts it, abort ends it aborted, report reads it', async ({ operatorPage, approverPage }) => {
  test.setTimeout(900_000);
  const operator = await tokenOf(operatorPage.request, 'operator');
  const approver = await tokenOf(approverPage.request, 'approver');

  // Login with a token: the commands below use the stored login (the operator).
  const login = await cli(['login', url(), '--token', operator]);
  expect(login.code, login.stderr).toBe(0);

  // The seed's jitter template, narrowed to one instance (one cluster of edge-gateway: 1 of 10, within
  // the 50 % blast-radius cap), a mild delay, no abort conditions (it runs until aborted), short windows.
  const templates = await rest(operator, 'GET', '/experiment-templates');
  expect(templates.status, templates.text).toBe(200);
  const seed = (templates.json as unknown as Array<{ key: string; spec: Record<string, unknown> & { targets: Record<string, unknown> } }>).find((t) => t.key === 'seed-jitter');
  expect(seed, 'the seed jitter template').toBeDefined();
  const name = `cli chaos ${Date.now().toString(36)}`;
  const spec = {
    ...seed!.spec,
    fault: { kind: 'delay', delayMs: 20, jitterMs: 10 },
    targets: { ...seed!.spec.targets, clusters: ['euw-a-1'] },
    selection: { mode: 'one' },
    steadyState: [],
    abortConditions: [],
    durationS: 900,
    baselineS: 10,
    observeS: 10,
  };
  const created = await rest(operator, 'POST', '/experiments', { body: { draft: { name, description: 'the CLI e2e spec', templateKey: 'seed-jitter', spec } } });
  expect(created.status, created.text).toBe(201);
  const id = created.json!.id as string;
  let runId: string | undefined;

  try {
    // list: a row for people, and the API's JSON for scripts — with the template it came from.
    const table = await cli(['experiments', 'list']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID +NAME +FAULT +SERVICES +LAST RUN +STATE\n/);
    expect(table.stdout).toMatch(new RegExp(`\\n${id} +${name} +delay +edge-gateway +— +—\\n`));
    expect(await listed(id)).toMatchObject({ name, templateKey: 'seed-jitter', faultKind: 'delay', services: ['edge-gateway'], lastRun: null });

    // A report of a run that does not exist is 4; a bad id is refused before any request (1).
    expect((await cli(['experiments', 'report', '00000000-0000-4000-8000-000000000000'])).code).toBe(4);
    expect((await cli(['experiments', 'run', 'nope'])).code).toBe(1);

    // run: one target; it injects, then runs (the platform confirmed the delay), as --json says.
    // A topology guard may hold in the target's zone under the simulated load (when it starts, or
    // when its controller checks before injecting): then an approver starts it with a reason
    // recorded on the run, as a person would — once.
    let started: { id: string; number: number; targets: number } | undefined;
    let outcome = '';
    for (const by of [{ token: undefined, override: [] }, { token: approver, override: ['--override-guard', 'one instance, a mild delay'] }]) {
      const start = await cli(['experiments', 'run', id, '--json', ...by.override], { token: by.token });
      if (start.code === 3 && /topology guard holds/.test(start.stderr)) continue;
      started = json<{ id: string; number: number; targets: number }>(start);
      expect(started).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), targets: 1 });
      runId = started.id;
      outcome = await runningOrEnded(id, started.id, operator);
      if (outcome !== 'ended: guard') break;
    }
    expect(outcome).toBe('running');
    runId = started!.id;
    expect((await listed(id))?.lastRun).toMatchObject({ id: runId, state: 'running' });
    const status = await cli(['status']);
    expect(status.stdout).toMatch(new RegExp(`Running experiments\\nRUN +EXPERIMENT +STATE\\n(?:[^\\n]*\\n)*${runId} +${name} +Running\\n`));
    const table2 = await cli(['experiments', 'list']);
    expect(table2.stdout).toMatch(new RegExp(`\\n${id} +${name} +delay +edge-gateway +${runId} +Running\\n`));

    // No report while it runs: the server says when it will have one (412 → 3).
    const early = await cli(['experiments', 'report', runId]);
    expect(early.code).toBe(3);
    expect(early.stderr).toMatch(/has no report yet: it is built when the observation window after the faults ends\. \(HTTP 412\)/);

    // abort: needs a reason (1, nothing sent); with one, 0 and the faults come out; it ends aborted.
    expect((await cli(['experiments', 'abort', runId])).code).toBe(1);
    const aborted = await cli(['experiments', 'abort', runId, '--reason', 'the CLI e2e spec is done with it']);
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(aborted.stdout).toBe(`Aborting run ${runId} — now Recovering: its faults are being removed.\n`);
    await expect.poll(async () => (await listed(id))?.lastRun?.state, T).toBe('aborted');
    expect((await listed(id))?.lastRun).toMatchObject({ id: runId, state: 'aborted', abortReason: 'manual' });
    expect((await cli(['experiments', 'list'])).stdout).toMatch(new RegExp(`\\n${id} +${name} +delay +edge-gateway +${runId} +Aborted \\(aborted by a person\\)\\n`));

    // An ended run cannot be aborted again: a conflict, 3.
    const again = await cli(['experiments', 'abort', runId, '--reason', 'once more']);
    expect(again.code, again.stdout).toBe(3);
    noStack(again);

    // report: Markdown for people (the per-layer table), the JSON with --json, for any viewer.
    const md = await cli(['experiments', 'report', runId]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(new RegExp(`^## ${name} #${started!.number}\\n\\n\\| Layer \\| P50 Δ \\| P90 Δ \\| P99 Δ \\| Availability \\| Self-heal \\| Max level \\| Breaker trips \\|\\n`));
    expect(md.stdout).toMatch(/^\| access \([^)|]*edge-gateway[^)|]*\) \|/m);
    const report = json<{ summary: string; layers: Array<{ layer: string; services: string[] }> }>(await cli(['experiments', 'report', runId, '--json']));
    expect(typeof report.summary).toBe('string');
    expect(report.layers.map((l) => l.layer)).toContain('access');
    expect(md.stdout).toContain(report.summary);
  } finally {
    // Nothing left running for the specs after this one: the run ended, the experiment archived.
    const run = (await listed(id, operator))?.lastRun;
    if (run && !TERMINAL.includes(run.state)) {
      if (run.state !== 'recovering') await cli(['experiments', 'abort', run.id, '--reason', 'the CLI e2e spec failed half-way'], { token: operator });
      await expect.poll(async () => TERMINAL.includes((await listed(id, operator))?.lastRun?.state ?? ''), T).toBe(true);
    }
    const got = await rest(operator, 'GET', `/experiments/${id}`);
    const archived = await rest(operator, 'POST', `/experiments/${id}/archive`, { body: {}, headers: { 'if-match': got.etag ?? `"${String(got.json?.version)}"` } });
    expect(archived.status, archived.text).toBe(200);
  }
});

test('halt: an operator engages it with a reason; only an approver releases it', async ({ operatorPage, approverPage, viewerPage, roleUsers }) => {
  test.setTimeout(480_000);
  const operator = await tokenOf(operatorPage.request, 'operator');
  const approver = await tokenOf(approverPage.request, 'approver');
  const viewer = await tokenOf(viewerPage.request, 'viewer');
  expect((await cli(['halt'], { token: viewer })).stdout).toBe('Halt: released\n');
  try {
    const engaged = await cli(['halt', 'engage', '--reason', 'cli e2e: game day'], { token: operator });
    expect(engaged.code, engaged.stderr).toBe(0);
    expect(engaged.stdout).toBe('Halt engaged: rollouts paused, experiments aborting.\n');
    expect((await cli(['halt'], { token: viewer })).stdout).toMatch(new RegExp(`^Halt: ENGAGED by ${roleUsers.operator.name} at \\S+ — cli e2e: game day\\n$`));
    expect((await cli(['status'], { token: viewer })).stdout).toMatch(new RegExp(`\\nHalt: +ENGAGED by ${roleUsers.operator.name} at \\S+ — cli e2e: game day\\n`));

    // Engaged twice is a conflict (3); a release needs a reason (1, nothing sent).
    const twice = await cli(['halt', 'engage', '--reason', 'again'], { token: operator });
    expect(twice.code).toBe(3);
    expect(twice.stderr).toMatch(/^switchback: .*Halt-all is already engaged .*\(HTTP 409\)\n$/);
    expect((await cli(['halt', 'release'], { token: approver })).code).toBe(1);

    // An operator (and a viewer) may not release it: 2, the role said in words, no stack; still engaged.
    const byOperator = await cli(['halt', 'release', '--reason', 'not mine to release'], { token: operator });
    expect(byOperator.code).toBe(2);
    expect(byOperator.stderr).toMatch(/^switchback: .*This needs the approver role; you are operator\. \(HTTP 403\)\n$/);
    noStack(byOperator);
    expect((await cli(['halt', 'release', '--reason', 'nope'], { token: viewer })).code).toBe(2);
    expect(json<{ engaged: boolean }>(await cli(['halt', '--json'], { token: viewer })).engaged).toBe(true);

    const released = await cli(['halt', 'release', '--reason', 'cli e2e: game day over'], { token: approver });
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toBe('Halt released.\n');
    expect(json<{ engaged: boolean }>(await cli(['halt', '--json'], { token: viewer })).engaged).toBe(false);
    expect((await cli(['status'], { token: viewer })).stdout).toMatch(/\nHalt: +released\n/);
  } finally {
    if (json<{ engaged: boolean }>(await cli(['halt', '--json'], { token: viewer })).engaged) {
      expect((await cli(['halt', 'release', '--reason', 'the CLI e2e spec failed half-way'], { token: approver })).code).toBe(0);
    }
  }
});

interface Policy {
  kind: string;
  scope: string;
  version: number;
  document: Record<string, unknown> & { minSamples: number };
}

test('policies: get, diff of an edited file, publish it, a stale publish refused (3), the values restored', async ({ adminPage, operatorPage }) => {
  test.setTimeout(480_000);
  const admin = await tokenOf(adminPage.request, 'admin');
  const operator = await tokenOf(operatorPage.request, 'operator');
  const get = async () => json<Policy>(await cli(['policies', 'get', 'breaker', '--json'], { token: admin }));

  // The global breaker policy as it is (the specs after this one read its values: the breaker's
  // "1.5 × EWMA" edge on the Machines page).
  const original = await get();
  expect(original).toMatchObject({ kind: 'breaker', scope: 'global', version: expect.any(Number) });
  const v = original.version;
  const samples = original.document.minSamples;
  const people = await cli(['policies', 'get', 'breaker'], { token: admin });
  expect(people.stdout).toMatch(new RegExp(`^# breaker policy, global, version ${v}\\n\\{\\n[\\s\\S]*"minSamples": ${samples}[,\\n]`));

  // An edited copy of `policies get --json`'s output (taken as is), and the original to restore from.
  const edited = path.join(dir, 'breaker.json');
  writeFileSync(edited, JSON.stringify({ ...original, document: { ...original.document, minSamples: samples + 1 } }, null, 2));
  const restore = path.join(dir, 'breaker-original.json');
  writeFileSync(restore, JSON.stringify(original.document));

  try {
    // diff: the file against what is published, one line per changed field (client side).
    const diff = await cli(['policies', 'diff', 'breaker', '-f', edited], { token: admin });
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(new RegExp(`^FIELD +PUBLISHED v${v} +FILE breaker\\.json\nminSamples +${samples} +${samples + 1}\n$`));
    expect(json(await cli(['policies', 'diff', 'breaker', '-f', edited, '--json'], { token: admin }))).toEqual([{ path: 'minSamples', before: samples, after: samples + 1 }]);

    // Only an admin publishes: an operator's token is refused (2), nothing published.
    const byOperator = await cli(['policies', 'publish', 'breaker', '-f', edited, '-m', 'one more sample'], { token: operator });
    expect(byOperator.code).toBe(2);
    expect(byOperator.stderr).toMatch(/\(HTTP 403\)\n$/);
    expect((await get()).version).toBe(v);

    // publish: the next version, with If-Match of the version just read.
    const published = await cli(['policies', 'publish', 'breaker', '-f', edited, '-m', 'cli e2e: one more sample before opening'], { token: admin });
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toBe(`Published breaker policy (global) version ${v + 1}.\n`);
    expect(await get()).toMatchObject({ version: v + 1, document: { ...original.document, minSamples: samples + 1 } });
    // The server's diff of the two versions says the same.
    const versions = await cli(['policies', 'diff', 'breaker', '--a', String(v), '--b', String(v + 1)], { token: admin });
    expect(versions.stdout).toMatch(new RegExp(`^FIELD +v${v} +v${v + 1}\\nminSamples +${samples} +${samples + 1}\\n$`));

    // A publish based on the version before is stale: 412 → 3, the current version named, nothing published.
    const stale = await cli(['policies', 'publish', 'breaker', '-f', restore, '-m', 'from an old copy', '--version', String(v)], { token: admin });
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/\(HTTP 412\)\n {2}The current version is \d+: read it again, then retry with that version\.\n$/);
    expect(stale.stderr).toContain(`The current version is ${v + 1}`);
    noStack(stale);
    expect((await get()).version).toBe(v + 1);

    // Restored: the demo's values again (as the next version).
    const back = await cli(['policies', 'publish', 'breaker', '-f', restore, '-m', 'cli e2e: back as it was', '--version', String(v + 1)], { token: admin });
    expect(back.code, back.stderr).toBe(0);
    const restored = await get();
    expect(restored.version).toBe(v + 2);
    expect(restored.document).toEqual(original.document);
  } finally {
    const now = await get();
    if (!isDeepStrictEqual(now.document, original.document)) {
      expect((await cli(['policies', 'publish', 'breaker', '-f', restore, '-m', 'the CLI e2e spec failed half-way: back as it was'], { token: admin })).code).toBe(0);
    }
  }
});
