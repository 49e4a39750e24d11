// `npm test`: every suite in order — typecheck, lint, unit + integration (vitest, real
// PostgreSQL), end-to-end (Playwright, system Chromium) — then one line `N passed, N failed`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { buildIsCurrent, writeBuildStamp } from './lib/build-stamp';

interface Outcome {
  suite: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** Names of the failed tests, printed again under the summary: a CI log is often read from its tail. */
  failures?: string[];
}

type VitestJson = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: Array<{ name: string; status: string; message?: string; assertionResults?: Array<{ fullName: string; status: string; failureMessages?: string[] }> }>;
};
type PlaywrightSuite = { specs?: Array<{ title: string; file: string; line: number; ok: boolean; tests?: Array<{ results?: Array<{ error?: { message?: string } }> }> }>; suites?: PlaywrightSuite[] };

// Colour codes come through in the messages; ESLint refuses a control character in a literal.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const firstLine = (text: string | undefined) => (text ?? '').replace(ansi, '').split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 240) ?? '';

function vitestFailures(r: VitestJson): string[] {
  const cwd = process.cwd() + '/';
  return (r.testResults ?? []).flatMap((f) => {
    const file = f.name.replace(cwd, '');
    const cases = (f.assertionResults ?? []).filter((a) => a.status === 'failed').map((a) => `${file} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    return cases.length === 0 && f.status === 'failed' ? [`${file}: ${firstLine(f.message)}`] : cases;
  });
}

function playwrightFailures(s: PlaywrightSuite): string[] {
  const own = (s.specs ?? []).filter((sp) => !sp.ok).map((sp) => `${sp.file}:${sp.line} › ${sp.title}: ${firstLine(sp.tests?.flatMap((t) => t.results ?? []).find((x) => x.error)?.error?.message)}`);
  return [...own, ...(s.suites ?? []).flatMap(playwrightFailures)];
}

const only = process.argv.slice(2);
const want = (suite: string) => only.length === 0 || only.includes(suite);
mkdirSync('.tmp', { recursive: true });

function run(cmd: string, args: string[], env: Record<string, string> = {}, out?: Buffer[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: out ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...env } });
    if (out) {
      child.stdout?.on('data', (b: Buffer) => out.push(b));
      child.stderr?.on('data', (b: Buffer) => out.push(b));
    }
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const node = process.execPath;
const outcomes: Outcome[] = [];

async function step(suite: string, fn: () => Promise<Omit<Outcome, 'suite' | 'seconds'>>) {
  if (!want(suite)) return;
  console.log(`\n━━━ ${suite} ━━━`);
  const t0 = performance.now();
  const r = await fn();
  outcomes.push({ suite, ...r, seconds: (performance.now() - t0) / 1000 });
}

type Result = Omit<Outcome, 'suite' | 'seconds'>;
const whole = (code: number): Result => ({ passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 });

/**
 * A suite started now and run beside the steps that follow; its output is printed whole under its
 * own heading once the function it returns is awaited, so two logs never interleave.
 */
function beside(suite: string, start: (out: Buffer[]) => Promise<Result>): () => Promise<void> {
  if (!want(suite)) return () => Promise.resolve();
  const t0 = performance.now();
  const out: Buffer[] = [];
  const done = start(out).then((r) => ({ r, seconds: (performance.now() - t0) / 1000 }));
  return async () => {
    const { r, seconds } = await done;
    console.log(`\n━━━ ${suite} ━━━`);
    process.stdout.write(Buffer.concat(out));
    outcomes.push({ suite, ...r, seconds });
  };
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

// Each vitest project runs on its own: one invocation with both projects ran no tests here.
const vitestArgs = (project: string) => ['node_modules/vitest/vitest.mjs', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile=.tmp/vitest-${project}.json`];
function vitestResult(project: string, code: number): Result {
  const r = readJson<VitestJson>(`.tmp/vitest-${project}.json`);
  if (!r) return { passed: 0, failed: 1, skipped: 0 };
  // A crash outside any test (e.g. global setup) still fails the suite.
  return { passed: r.numPassedTests, failed: r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0), skipped: r.numPendingTests + r.numTodoTests, failures: vitestFailures(r) };
}

// Lint (the longest check, ~2 minutes) runs beside typecheck and then beside the unit tests, which
// need nothing built. The build writes .next/types, which tsconfig includes, so it starts once
// these have ended. All three at once took 156 s in a quiet fresh-clone CI against 109 s + 33 s
// one after the other: the unit tests wait for typecheck's core instead.
const lint = beside('lint', (out) => run(node, ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.'], {}, out).then(whole));
await step('typecheck', async () => whole(await run(node, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'])));
await step('unit', async () => {
  rmSync('.tmp/vitest-unit.json', { force: true });
  return vitestResult('unit', await run(node, vitestArgs('unit')));
});
await lint();

// The production build, once, before the suites that start the app (the supervisor test in the
// integration project and every e2e spec): each would otherwise build it while tests run beside it.
await step('build', async () => {
  if (buildIsCurrent(process.cwd())) return { passed: 1, failed: 0, skipped: 0 };
  const code = await run(node, ['node_modules/next/dist/bin/next', 'build'], { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' });
  if (code === 0) writeBuildStamp(process.cwd());
  return whole(code);
});

// End-to-end beside integration: each has its own PostgreSQL and ports, and both spend much of
// their time waiting on real time (leases, experiment phases, ticks), not on the CPU.
const e2e = beside('e2e', async (log) => {
  const out = '.tmp/playwright.json';
  rmSync(out, { force: true });
  const code = await run(node, ['node_modules/@playwright/test/cli.js', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out }, log);
  const r = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } } & PlaywrightSuite>(out);
  if (!r) return { passed: 0, failed: 1, skipped: 0 };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected + (code !== 0 && r.stats.unexpected === 0 ? 1 : 0), skipped: r.stats.skipped, failures: playwrightFailures(r) };
});
await step('integration', async () => {
  rmSync('.tmp/vitest-integration.json', { force: true });
  return vitestResult('integration', await run(node, vitestArgs('integration')));
});
await e2e();

console.log('\n━━━ summary ━━━');
for (const o of outcomes) {
  console.log(`${o.suite.padEnd(10)} ${String(o.passed).padStart(4)} passed ${String(o.failed).padStart(3)} failed ${String(o.skipped).padStart(3)} skipped  ${o.seconds.toFixed(0)} s`);
}
for (const o of outcomes) for (const f of o.failures ?? []) console.log(`✗ ${o.suite}: ${f}`);
const passed = outcomes.reduce((a, o) => a + o.passed, 0);
const failed = outcomes.reduce((a, o) => a + o.failed, 0);
const skipped = outcomes.reduce((a, o) => a + o.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
