import type { APIRequestContext, Page } from '@playwright/test';
import { axeViolations } from './support/axe';
import { test, expect, mutate, signedInPage, query, ok } from './support/fixtures';
import { e2eState } from './support/state';

// Halt-all in the browser (issue 12): an operator pulls the lever from the header of any page with a
// reason while a chaos run injects a fault and a rollout progresses → a banner on every page, the run
// ends aborted (halted) with its fault removed, the rollout pauses (halted), a resume is refused
// naming the halt; a viewer sees the banner and no control; an approver releases it with a reason.

const T = { timeout: 30_000 };
/** A run reaches `running` once the telemetry leader confirms the fault (a tick or two). */
const RUN = { timeout: 60_000 };

interface RunView {
  run: { state: string; abortReason: string | null; stateDetail: string };
  injections: Array<{ removedAt: string | null; removeReason: string | null; injectedAt: string | null }>;
}
interface RolloutView {
  state: string;
  pauseReason: string | null;
  stateDetail: string;
  version: number;
}

const banner = (page: Page) => page.getByRole('region', { name: 'Halt-all engaged' });

/** Releases a halt a failed run of this spec left engaged, so the specs after it are not refused. */
async function releaseIfEngaged(request: APIRequestContext) {
  const status = await query<{ halt: unknown }>(request, 'safety.status', undefined);
  if (status.halt) await ok(request, 'safety.haltRelease', { reason: 'e2e cleanup after halt.spec' });
}

test.describe('halt-all', () => {
  let rolloutId: string | null = null;

  test.afterAll(async ({ browser }) => {
    const s = e2eState();
    const admin = await signedInPage(browser, s.adminName, s.adminPassword);
    await releaseIfEngaged(admin.request);
    if (rolloutId) {
      const r = await query<RolloutView>(admin.request, 'rollouts.get', { id: rolloutId });
      if (!['aborted', 'rolled_back', 'succeeded'].includes(r.state)) await mutate(admin.request, 'rollouts.abort', { id: rolloutId, version: r.version, reason: 'e2e cleanup after halt.spec' });
    }
    await admin.context().close();
  });

  test('an operator halts a running experiment and a progressing rollout; the banner is on every page; a viewer has no control; an approver releases', async ({ operatorPage: page, viewerPage, approverPage, roleUsers }) => {
    test.setTimeout(240_000);
    const tag = Date.now().toString(36);

    // A chaos run injecting a fault: the seed's jitter on one edge-gateway instance, long enough to
    // still be running when the halt comes, observed briefly after removal.
    const templates = await query<Array<{ key: string; spec: Record<string, unknown> }>>(page.request, 'experiments.templates', undefined);
    const jitter = templates.find((t) => t.key === 'seed-jitter')!;
    const spec = { ...jitter.spec, selection: { mode: 'one' }, steadyState: [], abortConditions: [], durationS: 900, observeS: 10 };
    const experiment = await ok<{ id: string }>(page.request, 'experiments.create', { draft: { name: `halt e2e ${tag}`, description: 'halt-all e2e', templateKey: 'seed-jitter', spec } });
    // Started by an approver with a guard override: the demo fleet's own weather must not refuse the run this test is about.
    const { id: runId } = await ok<{ id: string }>(approverPage.request, 'experiments.start', { experimentId: experiment.id, guardOverrideReason: 'e2e: the halt is under test, not the guards' });
    await expect.poll(async () => (await query<RunView>(page.request, 'experiments.runs.get', { runId })).run.state, RUN).toBe('running');

    // A progressing rollout: 10 % canary, then an hour's analysis (a pause step would be `paused`
    // already; a lenient P50 bound keeps the analysis going while the jitter acts on edge-gateway).
    const rolloutSpec = { name: `halt e2e ${tag}`, service: 'order-api', stableVersion: 'v1', canaryVersion: 'v2', steps: [{ kind: 'setWeight', weight: 10 }, { kind: 'analysis', metrics: [{ metric: 'latency', quantile: 50, maxIncreasePct: 1000 }], seconds: 3600 }], backgroundAnalysis: null, alpha: 0.01 };
    const created = await ok<{ id: string; version: number }>(page.request, 'rollouts.create', { spec: rolloutSpec });
    rolloutId = created.id;
    await ok(page.request, 'rollouts.start', created);
    // The demo fleet's weather may hold the first traffic step by a topology guard: an approver
    // overrides it (that is not what this test is about), then the analysis keeps it progressing.
    const progressing = () =>
      expect
        .poll(async () => {
          const r = await query<RolloutView>(page.request, 'rollouts.get', { id: created.id });
          if (r.state === 'paused' && r.pauseReason === 'guard') await mutate(approverPage.request, 'rollouts.overrideGuard', { id: created.id, version: r.version, reason: 'e2e: the halt is under test, not the guards' });
          return r.state;
        }, T)
        .toBe('progressing');
    await progressing();

    // A viewer sees no lever.
    await viewerPage.goto('/');
    await expect(viewerPage.getByRole('navigation', { name: 'Main' })).toBeVisible(T);
    await expect(viewerPage.getByRole('button', { name: 'Halt all…' })).toHaveCount(0);

    // The operator: from the keyboard, on the Overview page (the run and the rollout still going).
    expect((await query<RunView>(page.request, 'experiments.runs.get', { runId })).run.state).toBe('running');
    // On a busy machine the demo fleet's weather can hold the rollout again meanwhile (a zone at
    // L2): overridden again, as above — the halt is under test, not the guards.
    await progressing();
    const before = await query<RolloutView>(page.request, 'rollouts.get', { id: created.id });
    expect(`${before.state} ${before.pauseReason ?? ''} ${before.stateDetail}`).toMatch(/^progressing /);
    await page.goto('/');
    const lever = page.getByRole('button', { name: 'Halt all…' });
    await expect(lever).toBeVisible(T);
    await lever.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Halt all experiments and rollouts' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Every running experiment stops and its faults are removed from the platform.');
    await expect(dialog).toContainText('Every running rollout pauses where it is');
    await expect(dialog).toContainText('New experiment runs, rollout starts, resumes, promotions and step advances are refused');
    // No reason, no halt.
    await dialog.getByRole('button', { name: 'Engage halt-all' }).click();
    await expect(dialog.getByText('Give a reason: it is shown to everyone and kept in the audit.')).toBeVisible();
    expect((await query<{ halt: unknown }>(page.request, 'safety.status', undefined)).halt).toBeNull();
    const reason = `payment provider incident ${tag}`;
    await dialog.getByLabel('Reason').fill(reason);
    await dialog.getByRole('button', { name: 'Engage halt-all' }).click();
    await expect(dialog).toBeHidden(T);

    // The banner: who, why; no release for an operator; the lever is gone while engaged.
    const headline = new RegExp(`Halt-all engaged by ${roleUsers.operator.name} at .+: ${reason}`);
    await expect(banner(page).getByRole('alert')).toHaveText(headline, T);
    await expect(banner(page).getByRole('button', { name: 'Release halt…' })).toHaveCount(0);
    await expect(lever).toHaveCount(0);

    // The run stops: aborted because of the halt, its fault removed by the platform.
    await expect
      .poll(async () => {
        const r = await query<RunView>(page.request, 'experiments.runs.get', { runId });
        return `${r.run.state}/${r.run.abortReason}/${r.injections.length > 0 && r.injections.every((i) => i.removedAt !== null && i.removeReason === 'halted')}`;
      }, RUN)
      .toBe('aborted/halted/true');
    await expect(banner(page).getByRole('status')).toHaveText(/All faults removed at .+|Every fault the halt stopped is removed from the platform\./, T);
    // The run machine lights the run's state.
    await page.goto(`/machines?machine=experiment&run=${runId}`);
    await expect(page.getByText('Now: Aborted.')).toBeVisible(T);
    await expect(banner(page).getByRole('alert')).toHaveText(headline);

    // The rollout is paused by the halt, and a resume is refused naming it.
    await page.goto(`/rollouts/${created.id}`);
    await expect(page.getByText(/Paused: halted/).first()).toBeVisible(T);
    await expect(banner(page).getByRole('alert')).toHaveText(headline);
    const rollout = await query<RolloutView>(page.request, 'rollouts.get', { id: created.id });
    expect([rollout.state, rollout.pauseReason]).toEqual(['paused', 'halted']);
    await page.getByRole('group', { name: 'Rollout actions' }).getByRole('button', { name: 'Resume' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /halt/i }).filter({ hasText: reason }).first()).toBeVisible(T);
    await expect.poll(async () => (await query<RolloutView>(page.request, 'rollouts.get', { id: created.id })).state).toBe('paused');

    // On every page, in words, readable in both themes.
    for (const path of ['/timeline?kinds=safety,experiment', '/safety', '/experiments', '/topology']) {
      await page.goto(path);
      await expect(banner(page).getByRole('alert')).toHaveText(headline, T);
    }
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => localStorage.setItem('switchback-theme', t), theme);
      await page.reload();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(banner(page).getByRole('alert')).toHaveText(headline, T);
      const axe = await axeViolations(page, { include: '[aria-label="Halt-all engaged"]' });
      expect(axe.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }

    // The viewer sees the banner on their page, without any button.
    await viewerPage.reload();
    await expect(banner(viewerPage).getByRole('alert')).toHaveText(headline, T);
    await expect(banner(viewerPage).getByRole('button')).toHaveCount(0);
    await expect(viewerPage.getByRole('button', { name: /Halt all|Release halt/ })).toHaveCount(0);

    // The approver releases from the Safety page, with a reason (required) and a confirmation.
    await approverPage.goto('/safety');
    await expect(banner(approverPage).getByRole('alert')).toHaveText(headline, T);
    await banner(approverPage).getByRole('button', { name: 'Release halt…' }).click();
    const release = approverPage.getByRole('dialog', { name: 'Release halt-all' });
    await expect(release).toContainText('Rollouts the halt paused stay paused');
    await release.getByRole('button', { name: 'Release halt-all' }).click();
    await expect(release.getByText('Give a reason: it is shown to everyone and kept in the audit.')).toBeVisible();
    await release.getByLabel('Reason').fill(`incident over ${tag}`);
    await release.getByRole('button', { name: 'Release halt-all' }).click();
    await expect(release).toBeHidden(T);
    await expect(banner(approverPage)).toHaveCount(0, T);
    const history = approverPage.getByRole('table', { name: 'Halt history' });
    await expect(history.getByRole('row').filter({ hasText: reason })).toContainText(`incident over ${tag}`, T);

    // Live: the operator's and the viewer's pages drop the banner without a reload.
    await expect(banner(page)).toHaveCount(0, T);
    await expect(banner(viewerPage)).toHaveCount(0, T);
    await expect(page.getByRole('button', { name: 'Halt all…' })).toBeVisible();
    // The rollout stays paused until someone resumes it; the timeline has both ends of the halt.
    expect((await query<RolloutView>(page.request, 'rollouts.get', { id: created.id })).state).toBe('paused');
    await page.goto('/timeline?kinds=safety,experiment&span=3600000');
    const events = page.getByRole('table', { name: 'Events' });
    // (The run's and the rollout's own events quote the halt too: the safety rows are the ones titled so.)
    await expect(events.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Halt-all engaged', exact: true }) }).filter({ hasText: reason })).toHaveCount(1, T);
    await expect(events.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Halt-all released', exact: true }) }).filter({ hasText: `incident over ${tag}` })).toHaveCount(1);
    await expect(events.getByRole('link', { name: /^Run "halt e2e .+ #1": / }).first()).toBeVisible();
  });
});
