import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect, abortActiveRollouts } from './support/fixtures';
import { appUrl as url, cliSession, noStack, tokenOf, type CliResult as Result } from './support/cli';

// The `switchback` CLI against the running app (`npm start`), as child processes, the way a
// pipeline runs it: an operator logs in and creates and starts a rollout from a YAML file, watch
// waits for the approval gate, an approver approves and promotes, watch follows it to the end.
// A viewer's halt is refused with exit 2 in words. Tokens are made through the console's API.

const { cli, configPath } = cliSession();

/**
 * Going up in traffic (and promoting) may be held by a topology guard (an instance degraded under
 * the load, depending on the simulated traffic), at any step and more than once: while `watch`
 * follows the rollout to its end, an approver overrides each hold with a reason, as a person would.
 */
async function watchOverridingGuards(id: string, approver: string): Promise<Result> {
  let ended = false;
  const watching = cli(['rollouts', 'watch', id], { hangMs: 180_000 }).finally(() => (ended = true));
  await expect
    .poll(
      async () => {
        if (ended) return 'ended';
        const r = await cli(['rollouts', 'get', id, '--json']);
        const j = JSON.parse(r.stdout) as { state: string; pauseReason: string | null; version: number };
        if (j.state === 'paused' && j.pauseReason === 'guard') {
          const overridden = await cli(['rollouts', 'override-guard', id, '--reason', 'canary instances known to run hot'], { token: approver });
          // A hold that moved on in between is a 409 (exit 3): look again.
          expect([0, 3], overridden.stderr).toContain(overridden.code);
        }
        return ended ? 'ended' : j.state;
      },
      { timeout: 180_000 },
    )
    .toBe('ended');
  return watching;
}

// A run that failed half-way leaves payment-svc as the demo had it for the specs after this one.
test.afterEach(async ({ adminPage }, info) => {
  if (info.status !== info.expectedStatus) await abortActiveRollouts(adminPage.request, 'payment-svc', 'the CLI spec failed half-way');
});

test('a CLI session drives a rollout from creation through approval to promotion', async ({ operatorPage, approverPage, viewerPage, adminPage }) => {
  test.setTimeout(300_000);
  const operator = await tokenOf(operatorPage.request, 'operator');
  const approver = await tokenOf(approverPage.request, 'approver');
  const viewer = await tokenOf(viewerPage.request, 'viewer');
  const admin = await tokenOf(adminPage.request, 'admin');

  // `npx switchback` from the checkout runs the package's own bin; the help names the exit codes.
  const help = await cli(['--help'], { command: ['npx', '--offline', 'switchback'], hangMs: 120_000 });
  expect(help.code, help.stderr).toBe(0);
  expect(help.stdout).toContain('rollouts watch ID [--until-approval]');
  expect(help.stdout).toMatch(/Exit codes:[\s\S]*2 {2}authentication or permission/);

  // Login checks the token (a wrong one is refused, exit 2, nothing stored), then stores it 0600.
  const wrong = await cli(['login', url(), '--token', 'sbt_AAAAAAAA_wrongwrongwrongwrongwrongwrongwrongwrongw']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toMatch(/^switchback: .*\(HTTP 401\)/);
  expect(() => statSync(configPath)).toThrow();
  const login = await cli(['login', url()], { stdin: `${operator}\n` });
  expect(login.code, login.stderr).toBe(0);
  expect(login.stdout).toContain(`Logged in to ${url()}`);
  expect(statSync(configPath).mode & 0o777).toBe(0o600);
  expect(statSync(path.dirname(configPath)).mode & 0o777).toBe(0o700);

  // A rollout left active on payment-svc by another spec would refuse the start: abort it first.
  const active = await cli(['rollouts', 'list', '--json'], { token: admin });
  expect(active.code, active.stderr).toBe(0);
  const leftovers = (JSON.parse(active.stdout) as { items: Array<{ id: string; state: string; service: { name: string } }> }).items.filter(
    (r) => r.service.name === 'payment-svc' && ['progressing', 'paused', 'promoting'].includes(r.state),
  );
  for (const r of leftovers) expect((await cli(['rollouts', 'abort', r.id, '--reason', 'cleared for the CLI test'], { token: admin })).code).toBe(0);

  // An invalid file is refused with the line of each problem, before anything is sent.
  const dir = mkdtempSync(path.join(tmpdir(), 'switchback-cli-files-'));
  const bad = path.join(dir, 'bad.yaml');
  writeFileSync(bad, 'kind: Rollout\nname: x\nservice: payment-svc\nstableVersion: v1\ncanaryVersion: v2\nsteps:\n  - { kind: setWeight, weight: 120 }\n');
  const refused = await cli(['rollouts', 'create', '-f', bad]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`${bad}:7: steps.0.weight: Weight: at most 100 %`);

  const name = `cli canary ${Date.now().toString(36)}`;
  const file = path.join(dir, 'rollout.yaml');
  writeFileSync(
    file,
    [
      'kind: Rollout',
      `name: ${name}`,
      'service: payment-svc',
      'stableVersion: v1',
      'canaryVersion: v2',
      'steps:',
      '  - { kind: setWeight, weight: 10 }',
      '  - { kind: approval, quorum: 1, expiresInS: 600, onExpiry: stay-paused }',
      '  - { kind: setWeight, weight: 20 }',
      '  - { kind: pause }',
      '',
    ].join('\n'),
  );
  const created = await cli(['rollouts', 'create', '-f', file, '--json']);
  expect(created.code, created.stderr).toBe(0);
  // --json prints the API's answer as it is: the new rollout's id and version.
  const rollout = JSON.parse(created.stdout) as { id: string; version: number };
  expect(rollout).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), version: expect.any(Number) });
  const id = rollout.id;
  const pending = await cli(['rollouts', 'get', id]);
  expect(pending.stdout).toMatch(new RegExp(`^ID: +${id}\nName: +${name}\nService: +payment-svc\nVersions: +v1 → v2\nState: +Pending\n`));

  const started = await cli(['rollouts', 'start', id]);
  expect(started.code, started.stderr).toBe(0);
  expect(started.stdout).toContain(`Started rollout ${id}`);

  // status shows it among the running rollouts.
  const status = await cli(['status']);
  expect(status.code, status.stderr).toBe(0);
  expect(status.stdout).toMatch(/^Health: /);
  expect(status.stdout).toMatch(new RegExp(`Running rollouts\\nID +NAME[^\\n]*\\n(?:[^\\n]*\\n)*${id} +${name} +payment-svc`));

  // watch --until-approval ends (0) when the approval gate is reached, a line per change on the way.
  const toGate = await cli(['rollouts', 'watch', id, '--until-approval'], { hangMs: 120_000 });
  expect(toGate.code, toGate.stdout + toGate.stderr).toBe(0);
  expect(toGate.stdout).toMatch(/Paused \(waiting for approval 0\/1\)/);
  expect(toGate.stdout).toMatch(/The rollout waits for approval/);

  // The operator cannot approve (403 → 2); the approver approves with a reason.
  const selfApprove = await cli(['rollouts', 'approve', id, '--reason', 'mine']);
  expect(selfApprove.code).toBe(2);
  noStack(selfApprove);
  const approved = await cli(['rollouts', 'approve', id, '--reason', 'canary looks healthy'], { token: approver });
  expect(approved.code, approved.stderr).toBe(0);

  // It moves on to 20 % and stops at the open pause; the approver promotes it past the pause.
  await expect
    .poll(async () => {
      const r = await cli(['rollouts', 'get', id, '--json']);
      const j = JSON.parse(r.stdout) as { state: string; pauseReason: string | null; currentStep: number };
      return `${j.state}/${j.pauseReason}/${j.currentStep}`;
    }, { timeout: 120_000 })
    .toBe('paused/step_pause/3');
  const promoted = await cli(['rollouts', 'promote', id], { token: approver });
  expect(promoted.code, promoted.stderr).toBe(0);

  // watch follows it to the end: succeeded → exit 0.
  const done = await watchOverridingGuards(id, approver);
  expect(done.code, done.stdout + done.stderr).toBe(0);
  expect(done.stdout).toMatch(/The rollout succeeded/);
  const final = await cli(['rollouts', 'get', id, '--json']);
  expect((JSON.parse(final.stdout) as { state: string }).state).toBe('succeeded');

  // A second watch of a finished rollout ends at once with the same answer.
  expect((await cli(['rollouts', 'watch', id])).code).toBe(0);

  // Leave payment-svc as the demo had it (all traffic on v1) for the specs after this one: a
  // rollout back to v1, through the CLI too.
  const back = path.join(dir, 'back.yaml');
  writeFileSync(back, `kind: Rollout\nname: ${name} back to v1\nservice: payment-svc\nstableVersion: v2\ncanaryVersion: v1\nsteps:\n  - { kind: setWeight, weight: 100 }\n`);
  const restore = JSON.parse((await cli(['rollouts', 'create', '-f', back, '--json'])).stdout) as { id: string };
  expect((await cli(['rollouts', 'start', restore.id])).code).toBe(0);
  const restored = await watchOverridingGuards(restore.id, approver);
  expect(restored.code, restored.stdout + restored.stderr).toBe(0);

  // A viewer may not halt the fleet: exit 2, said in words, no stack.
  const halt = await cli(['halt', 'engage', '--reason', 'viewer tries'], { token: viewer });
  expect(halt.code).toBe(2);
  expect(halt.stderr).toMatch(/^switchback: .+ \(HTTP 403\)\n$/);
  noStack(halt);

  // A missing rollout is 4; a bad id is refused before any request (1).
  expect((await cli(['rollouts', 'get', '00000000-0000-4000-8000-000000000000'])).code).toBe(4);
  expect((await cli(['rollouts', 'get', 'nope'])).code).toBe(1);
});
