import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures';

// Manifests for Kubernetes users: an operator saves the seed's jitter experiment, exports it as
// Chaos Mesh YAML (a NetworkChaos delaying 200ms with 300ms jitter, and in words what Chaos Mesh
// cannot express), imports that YAML back from the experiments list — a refusal in words first,
// then a new draft with the same fault — and exports a rollout as Argo Rollouts YAML.

const T = { timeout: 30_000 };

/** WCAG 2 A/AA violations inside the open dialog, one line each. */
async function axeDialog(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).include('dialog[open]').withTags(['wcag2a', 'wcag2aa']).analyze();
  return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

test.describe('manifests', () => {
  test('export an experiment as Chaos Mesh, import it back as a draft', async ({ operatorPage: page }) => {
    test.setTimeout(180_000);
    const name = `e2e manifest ${Date.now().toString(36)}`;
    await page.goto('/experiments/new?template=seed-jitter');
    await expect(page.getByRole('heading', { name: 'New experiment', level: 1 })).toBeVisible(T);
    await expect(page.getByLabel('Jitter', { exact: true })).toHaveValue('300');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Save experiment' }).click();
    await expect(page.getByRole('heading', { name: `Experiment: ${name}`, level: 1 })).toBeVisible(T);

    // Export: the YAML, what it cannot express, copy and download.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export as Chaos Mesh' });
    const yaml = dialog.getByLabel('Chaos Mesh YAML');
    await expect(yaml).toContainText('kind: NetworkChaos', T);
    await expect(yaml).toContainText('latency: 200ms');
    await expect(yaml).toContainText('jitter: 300ms');
    await expect(yaml).toContainText('app: edge-gateway');
    await expect(dialog.getByRole('list', { name: 'What the YAML cannot express' })).toContainText(/Abort conditions .* Chaos Mesh runs the fault for its whole duration/);
    expect(await axeDialog(page)).toEqual([]);
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: /^Download .*\.chaos-mesh\.yaml$/ }).click();
    expect((await download).suggestedFilename()).toMatch(/^e2e-manifest-.*\.chaos-mesh\.yaml$/);
    const text = (await yaml.textContent()) ?? '';
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // Import from the list: something that is not Chaos Mesh is refused in words, nothing created.
    await page.goto('/experiments?tab=experiments');
    await page.getByRole('button', { name: 'Import YAML' }).click();
    const importer = page.getByRole('dialog', { name: 'Import Chaos Mesh YAML' });
    await importer.getByLabel('YAML', { exact: true }).fill('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n');
    await importer.getByRole('button', { name: 'Import as a draft' }).click();
    await expect(importer.getByRole('alert')).toContainText('No Chaos Mesh resource in the YAML', T);
    expect(await axeDialog(page)).toEqual([]);

    // The exported YAML: a new draft, renamed beside its original, the fault the same.
    await importer.getByLabel('YAML', { exact: true }).fill(text);
    await importer.getByRole('button', { name: 'Import as a draft' }).click();
    await expect(importer.getByRole('list', { name: 'What the import dropped or defaulted' })).toContainText(`An experiment named "${name}" exists already`, T);
    await importer.getByRole('link', { name: 'Open the draft' }).click();
    await expect(page.getByRole('heading', { name: `Experiment: ${name} (imported)`, level: 1 })).toBeVisible(T);
    await expect(page).toHaveURL(/\/experiments\/[0-9a-f-]{36}$/);
    await expect(page.getByLabel('Fault kind')).toHaveValue('delay');
    await expect(page.getByLabel('Delay', { exact: true })).toHaveValue('200');
    await expect(page.getByLabel('Jitter', { exact: true })).toHaveValue('300');
  });

  test('a viewer exports a rollout as Argo Rollouts and has no import', async ({ viewerPage: page }) => {
    await page.goto('/rollouts');
    await expect(page.getByRole('heading', { name: 'Rollouts', level: 1 })).toBeVisible(T);
    await expect(page.getByRole('button', { name: 'Import YAML' })).toHaveCount(0);
    // The seed's finished rollout (prisma/seed-rollouts.ts).
    await page.getByRole('link', { name: 'payment-svc v1 (3-D Secure 2)' }).click();
    await expect(page.getByRole('heading', { name: 'payment-svc v1 (3-D Secure 2)', level: 1 })).toBeVisible(T);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export as Argo Rollouts' });
    await expect(dialog.getByLabel('Argo Rollouts YAML')).toContainText('kind: Rollout', T);
    await expect(dialog.getByLabel('Argo Rollouts YAML')).toContainText('apiVersion: argoproj.io/v1alpha1');
    await expect(dialog.getByRole('list', { name: 'What the YAML cannot express' })).toContainText('zone guards');
  });
});
