import { readFileSync } from 'node:fs';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { test, expect, mutate, signedInPage, query, ok } from './support/fixtures';
import { e2eState } from './support/state';

// The chaos run's actions in the browser (issue 12) that experiments.spec does not walk: a person
// aborts a run from its page (confirmed, with a reason; the faults come out and the page says who
// and why); a freeze window refuses a start naming itself, an approver overrides it with a reason
// from the same dialog and the override is kept on the run, its timeline and the audit; the report
// downloads as JSON with its per-layer rows; and the timeline's "report ready" opens the run at its
// report. Each test makes its own experiment on an edge-gateway instance no other spec faults
// (use-b-2, use-a-2, euw-c-2); afterAll aborts what is still running and ends the freeze window.

const T = { timeout: 30_000 };
/** A run reaches `running` once the telemetry leader confirms the fault; it ends once recovery is observed. */
const RUN = { timeout: 90_000 };

interface RunView {
  run: { state: string; abortReason: string | null; version: number; freezeOverrideReason: string | null };
  injections: Array<{ removedAt: string | null; removeReason: string | null; injectedAt: string | null }>;
}
const ACTIVE = ['pending', 'injecting', 'running'];

/** Runs and freeze windows this file started, for afterAll (a failed test must not leave them to the next spec). */
const started: string[] = [];
const freezes: string[] = [];

/** An experiment of the seed's jitter on edge-gateway in one cluster (one instance: within the blast radius). */
async function jitterExperiment(request: APIRequestContext, name: string, cluster: string, timing: { durationS: number; baselineS: number; observeS: number }) {
  const templates = await query<Array<{ key: string; spec: Record<string, unknown> & { targets: Record<string, unknown> } }>>(request, 'experiments.templates', undefined);
  const jitter = templates.find((t) => t.key === 'seed-jitter')!;
  const spec = { ...jitter.spec, targets: { ...jitter.spec.targets, clusters: [cluster], services: ['edge-gateway'] }, selection: { mode: 'all' }, steadyState: [], abortConditions: [], ...timing };
  return ok<{ id: string }>(request, 'experiments.create', { draft: { name, description: 'experiment-actions e2e', templateKey: 'seed-jitter', spec } });
}

/** Started by an approver through the API with a guard override: the demo fleet's weather is not what these tests are about. */
async function startRun(approver: Page, experimentId: string): Promise<string> {
  const { id } = await ok<{ id: string }>(approver.request, 'experiments.start', { experimentId, guardOverrideReason: 'e2e: the run is under test, not the guards' });
  started.push(id);
  return id;
}

const runOf = (request: APIRequestContext, runId: string) => query<RunView>(request, 'experiments.runs.get', { runId });

async function inTheme(page: Page, theme: 'light' | 'dark') {
  await page.evaluate((t) => localStorage.setItem('switchback-theme', t), theme);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** The run page's "Injected faults" rows for the run's one target. */
const faultRows = (page: Page): Locator => page.getByRole('table', { name: 'Injected faults' }).locator('tbody tr');

test.describe('experiment run actions', () => {
  test.afterAll(async ({ browser }) => {
    const s = e2eState();
    const admin = await signedInPage(browser, s.adminName, s.adminPassword);
    for (const runId of started) {
      const v = await runOf(admin.request, runId);
      if (ACTIVE.includes(v.run.state) && v.run.abortReason === null) await mutate(admin.request, 'experiments.abort', { runId, reason: 'e2e cleanup after experiment-actions.spec' });
    }
    const live = await query<Array<{ id: string; version: number }>>(admin.request, 'safety.freezes.list', undefined);
    for (const w of live.filter((x) => freezes.includes(x.id))) await mutate(admin.request, 'safety.freezes.remove', { id: w.id, version: w.version });
    await admin.context().close();
  });

  test('an operator aborts a running experiment from its page: confirmed with a reason; the fault is removed; the page says who and why', async ({ operatorPage: page, approverPage, roleUsers }) => {
    test.setTimeout(240_000);
    const name = `e2e abort ${Date.now().toString(36)}`;
    const x = await jitterExperiment(page.request, name, 'use-b-2', { durationS: 900, baselineS: 10, observeS: 10 });
    const runId = await startRun(approverPage, x.id);

    await page.goto(`/experiments/runs/${runId}`);
    await inTheme(page, 'light');
    const state = page.getByRole('status', { name: 'Run state' });
    await expect(state).toHaveText(/^Running/, RUN);
    await expect(faultRows(page)).toHaveCount(1);
    await expect(faultRows(page).first()).toContainText('injected');

    // The button opens a confirmation that says what happens; no reason, no abort.
    const button = page.getByRole('group', { name: 'Run actions' }).getByRole('button', { name: 'Abort run…' });
    await button.click();
    const dialog = page.getByRole('dialog', { name: `Abort run #1 of ${name}` });
    await expect(dialog).toContainText('Every fault of this run is removed now; the run watches the recovery and then writes its report.');
    await dialog.getByRole('button', { name: 'Abort run', exact: true }).click();
    await expect(dialog.getByText('Give a reason')).toBeVisible();
    await expect(dialog.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: test.info().outputPath('abort-confirm-light.png') });
    // Cancel leaves the run alone.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect((await runOf(page.request, runId)).run.state).toBe('running');

    // In the dark theme, from the keyboard: the reason, then the confirmation.
    await inTheme(page, 'dark');
    await expect(state).toHaveText(/^Running/, T);
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    const reason = `customers on use-b-2 complain ${Date.now().toString(36)}`;
    await dialog.getByLabel('Reason').fill(reason);
    await expect(dialog.getByText('Give a reason')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('abort-confirm-dark.png') });
    await dialog.getByRole('button', { name: 'Abort run', exact: true }).click();
    await expect(dialog).toBeHidden(T);

    // The run ends aborted by a person, saying who and why; its fault is removed (not lapsed) and the target recovered.
    await expect(state).toHaveText(/^Aborted/, RUN);
    await expect(state).toContainText('aborted by a person');
    await expect(state).toContainText(`Aborted by ${roleUsers.operator.name}: ${reason}`);
    await expect(faultRows(page).first()).toContainText('removed');
    await expect(faultRows(page).first()).toContainText('aborted');
    await expect(page.getByRole('table', { name: 'Target health' }).getByRole('row').filter({ hasText: 'edge-gateway-use-b-2' })).toContainText('Recovered');
    await expect(page.getByRole('list', { name: 'Run timeline' })).toContainText(`Aborted by ${roleUsers.operator.name}: ${reason}`);
    // Nothing left to abort.
    await expect(page.getByRole('group', { name: 'Run actions' })).toHaveCount(0);
    const v = await runOf(page.request, runId);
    expect([v.run.state, v.run.abortReason]).toEqual(['aborted', 'manual']);
    expect(v.injections.length).toBeGreaterThan(0);
    expect(v.injections.every((i) => i.injectedAt !== null && i.removedAt !== null && i.removeReason === 'aborted')).toBe(true);
    // Audited with the reason, under the operator's name.
    const audit = await query<{ items: Array<{ actorName: string; targetId: string; after: { reason?: string } | null }> }>(page.request, 'audit.list', { action: 'experiment.run.abort', q: name });
    expect(audit.items.filter((a) => a.targetId === runId).map((a) => [a.actorName, a.after?.reason])).toEqual([[roleUsers.operator.name, reason]]);
  });

  test('inside a freeze window a start is refused naming the window; an approver overrides it with a reason in the dialog; the override is kept on the run, its timeline and the audit', async ({ operatorPage, approverPage: page, roleUsers }) => {
    // Four page loads of the editor (its preview and topology map) besides the run: slow on a busy machine.
    test.setTimeout(480_000);
    const tag = Date.now().toString(36);
    const name = `e2e freeze ${tag}`;
    const x = await jitterExperiment(page.request, name, 'use-a-2', { durationS: 900, baselineS: 10, observeS: 10 });
    // Experiments only (rollouts are not what this is about), in force from a minute ago for half an hour.
    const windowName = `e2e drill freeze ${tag}`;
    const now = Date.now();
    const w = await ok<{ id: string }>(page.request, 'safety.freezes.create', { window: { name: windowName, reason: 'e2e: a freeze under test', kind: 'one_off', startsAt: now - 60_000, endsAt: now + 30 * 60_000, appliesToRollouts: false, appliesToExperiments: true } });
    freezes.push(w.id);

    // An operator is refused in words naming the window, and offered no override.
    await operatorPage.goto(`/experiments/${x.id}`);
    await operatorPage.getByRole('button', { name: 'Start run…' }).click({ timeout: 60_000 });
    const refused = operatorPage.getByRole('dialog', { name: `Start a run of ${name}` });
    await expect(refused.getByRole('list', { name: 'Instances this run will hit' })).toContainText('edge-gateway-use-a-2', T);
    await refused.getByRole('button', { name: 'Start run', exact: true }).click();
    await expect(refused.getByRole('alert')).toContainText(`inside the freeze window “${windowName}”`, T);
    await expect(refused.getByLabel('Override reason')).toHaveCount(0);
    await expect(refused.getByRole('button', { name: 'Start run', exact: true })).toBeVisible();
    await refused.getByRole('button', { name: 'Cancel' }).click();

    // The approver: the same refusal, then the override in the dialog, a reason required.
    const open = async () => {
      await page.getByRole('button', { name: 'Start run…' }).click({ timeout: 60_000 });
      const d = page.getByRole('dialog', { name: `Start a run of ${name}` });
      await expect(d.getByRole('list', { name: 'Instances this run will hit' })).toContainText('edge-gateway-use-a-2', T);
      await d.getByRole('button', { name: 'Start run', exact: true }).click();
      await expect(d.getByRole('alert')).toContainText(`inside the freeze window “${windowName}”`, T);
      await expect(d.getByRole('alert')).toContainText('An approver may start it anyway with a reason.');
      return d;
    };
    for (const theme of ['light', 'dark'] as const) {
      await page.goto(`/experiments/${x.id}`);
      await inTheme(page, theme);
      const d = await open();
      await d.getByRole('button', { name: 'Override the freeze window and start' }).click();
      await expect(d.getByText('Give a reason')).toBeVisible();
      await expect(d.getByLabel('Override reason')).toHaveAttribute('aria-invalid', 'true');
      await page.screenshot({ path: test.info().outputPath(`freeze-override-${theme}.png`) });
    }
    const dialog = page.getByRole('dialog', { name: `Start a run of ${name}` });
    const reason = `resilience drill signed off ${tag}`;
    await dialog.getByLabel('Override reason').fill(reason);
    await dialog.getByRole('button', { name: 'Override the freeze window and start' }).click();
    // The demo fleet's weather may also hold a topology guard in us-east-a: that refusal adds its
    // override to the freeze's (the reason kept), and one more confirmation starts the run.
    const both = dialog.getByRole('button', { name: 'Override the freeze window and the guard and start' });
    await expect(page.getByRole('status', { name: 'Run state' }).or(both)).toBeVisible(T);
    if (await both.isVisible()) {
      await expect(dialog.getByLabel('Override reason')).toHaveValue(reason);
      await both.click();
    }
    await expect(page).toHaveURL(/\/experiments\/runs\/[0-9a-f-]{36}$/, T);
    const runId = /runs\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    started.push(runId);

    // Kept on the run, on its timeline (with the window it overrode), and in the audit.
    await expect(page.getByText(`Freeze window overridden: ${reason}`)).toBeVisible(T);
    await expect(page.getByRole('list', { name: 'Run timeline' })).toContainText(`Freeze override by ${roleUsers.approver.name}: ${reason} (inside the freeze window “${windowName}”`, T);
    expect((await runOf(page.request, runId)).run.freezeOverrideReason).toBe(reason);
    const audit = await query<{ items: Array<{ actorName: string; targetId: string; after: { freezeOverrideReason?: string } | null }> }>(page.request, 'audit.list', { action: 'experiment.run.start', q: name });
    expect(audit.items.filter((a) => a.targetId === runId).map((a) => [a.actorName, a.after?.freezeOverrideReason])).toEqual([[roleUsers.approver.name, reason]]);
    // The one timeline: the override links to the run.
    await page.goto('/timeline?kinds=experiment&span=3600000');
    const override = page.getByRole('table', { name: 'Events' }).getByRole('link', { name: `Run "${name} #1": override` }).first();
    await expect(override).toHaveAttribute('href', `/experiments/runs/${runId}`, T);

    // Ended here rather than in afterAll: the run is aborted, the window removed.
    await ok(page.request, 'experiments.abort', { runId, reason: 'e2e: the override is what was under test' });
    const live = await query<Array<{ id: string; version: number }>>(page.request, 'safety.freezes.list', undefined);
    await ok(page.request, 'safety.freezes.remove', { id: w.id, version: live.find((f) => f.id === w.id)!.version });
    await expect.poll(async () => (await runOf(page.request, runId)).run.state, RUN).toBe('aborted');
  });

  test('the report downloads as JSON with its per-layer rows; the timeline’s “report ready” opens the run at its report', async ({ operatorPage: page, approverPage }) => {
    test.setTimeout(240_000);
    const name = `e2e report ${Date.now().toString(36)}`;
    // A short run that ends by itself: ten seconds of fault, ten of baseline and of observation.
    const x = await jitterExperiment(page.request, name, 'euw-c-2', { durationS: 10, baselineS: 10, observeS: 10 });
    const runId = await startRun(approverPage, x.id);
    await expect.poll(async () => (await runOf(page.request, runId)).run.state, { timeout: 150_000 }).toBe('completed');

    // From the timeline: every event of the run links to it; "report ready" and the run's end straight to its report.
    await page.goto('/timeline?kinds=experiment&span=3600000');
    const events = page.getByRole('table', { name: 'Events' });
    const ready = events.getByRole('link', { name: `Run "${name} #1": report ready` });
    await expect(ready).toHaveAttribute('href', `/experiments/runs/${runId}#report`, T);
    await expect(events.getByRole('link', { name: `Run "${name} #1": recovering → completed` })).toHaveAttribute('href', `/experiments/runs/${runId}#report`);
    await expect(events.getByRole('link', { name: `Run "${name} #1": fault injected` }).first()).toHaveAttribute('href', `/experiments/runs/${runId}`);
    await ready.click();
    await expect(page).toHaveURL(new RegExp(`/experiments/runs/${runId}#report$`), T);
    const section = page.locator('#report');
    await expect(section).toBeFocused(T);
    await expect(section.getByRole('heading', { name: 'Report per layer' })).toBeInViewport();
    const table = page.getByRole('table', { name: 'SLA per layer' });
    await expect(table.getByRole('row')).toHaveCount(1 + 3);

    // The JSON download: the report the page draws, one row per layer with its deltas and availability.
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Download JSON' }).click()]);
    expect(download.suggestedFilename()).toMatch(/-run-1\.json$/);
    const json = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      targetPct: number;
      layers: Array<{ layer: string; services: string[]; delta: Record<'p50' | 'p90' | 'p99', number | null>; availabilityPct: number | null; selfHealS: number | null; breakerTrips: number }>;
    };
    expect(json.targetPct).toBe(99.9);
    expect(json.layers.map((l) => l.layer).sort()).toEqual(['access', 'data', 'service']);
    expect(json.layers.find((l) => l.layer === 'access')!.services).toContain('edge-gateway');
    // The fault's own layer has figures (the demo fleet samples every layer every tick).
    expect(json.layers.find((l) => l.layer === 'access')!.delta.p99).toEqual(expect.any(Number));
    for (const l of json.layers) {
      const cells = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${l.layer}`) }) }).getByRole('cell');
      // The same figures as the table: each delta, as the page rounds it.
      for (const [i, q] of (['p50', 'p90', 'p99'] as const).entries()) {
        const d = l.delta[q];
        if (d === null) await expect(cells.nth(i)).toHaveText('no data');
        else await expect(cells.nth(i)).toHaveText(new RegExp(`^${Math.round(d) >= 0 ? '\\+' : '−'}${Math.abs(Math.round(d))} ms`));
      }
      expect(l.availabilityPct).toEqual(expect.any(Number));
      expect(l.breakerTrips).toEqual(expect.any(Number));
    }

    // The run's own timeline links its "report ready" to the same anchor.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await expect(section).not.toBeFocused();
    await page.getByRole('list', { name: 'Run timeline' }).getByRole('link', { name: /^Report ready/ }).click();
    await expect(section).toBeFocused();
  });
});
