import type { Page } from '@playwright/test';
import { axeViolations } from './support/axe';
import { test, expect, mutate } from './support/fixtures';

// Manifests for Kubernetes users: an operator saves the seed's jitter experiment, exports it as
// Chaos Mesh YAML (a NetworkChaos delaying 200ms with 300ms jitter, and in words what Chaos Mesh
// cannot express), imports that YAML back from the experiments list — a refusal in words first,
// then a new draft with the same fault — and exports a rollout as Argo Rollouts YAML; an operator
// imports a hand-written Argo Rollout from the rollouts list (a refusal in words at the field first,
// then a pending rollout with its steps), and deletes it again.

const T = { timeout: 30_000 };

/** WCAG 2 A/AA violations inside the open dialog, one line each. */
async function axeDialog(page: Page): Promise<string[]> {
  return (await axeViolations(page, { include: 'dialog[open]' })).flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
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

  test('an operator imports an Argo Rollout from the rollouts list: refused in words at the field, then a pending draft with its steps', async ({ operatorPage: page }) => {
    test.setTimeout(180_000);
    const tag = Date.now().toString(36);
    const name = `e2e argo ${tag}`;
    /** A hand-written Rollout of the demo's payment-svc (v1 stable, v2 canary), named through the annotation. */
    const argo = (strategy: string) =>
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Rollout',
        'metadata:',
        '  name: payment-svc',
        '  labels: { app: payment-svc }',
        '  annotations:',
        `    switchback.io/name: "${name}"`,
        `    switchback.io/rollout: '{"stableVersion":"v1"}'`,
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: app',
        '          image: registry.example/payment-svc:v2',
        '  strategy:',
        strategy,
      ].join('\n');
    const blueGreen = argo('    blueGreen: { activeService: payment-active }');
    const canary = argo(['    canary:', '      steps:', '        - setWeight: 10', '        - pause: { duration: 90s }', '        - setWeight: 50'].join('\n'));
    let created: string | null = null;
    try {
      await page.goto('/rollouts');
      await expect(page.getByRole('heading', { name: 'Rollouts', level: 1 })).toBeVisible(T);
      await page.getByRole('button', { name: 'Import YAML' }).click();
      const importer = page.getByRole('dialog', { name: 'Import Argo Rollouts YAML' });
      const field = importer.getByLabel('YAML', { exact: true });

      // Refused: the reason in words, right under the field and read with it; nothing created.
      await field.fill(blueGreen);
      await importer.getByRole('button', { name: 'Import as a draft' }).click();
      await expect(importer.getByRole('alert')).toContainText('The Rollout uses the blue-green strategy: Switchback rollouts are canaries', T);
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      await expect(field).toHaveAccessibleDescription(/blue-green strategy/);
      expect(await axeDialog(page)).toEqual([]);

      // Accepted: nothing dropped, so it opens the new pending rollout.
      await field.fill(canary);
      await importer.getByRole('button', { name: 'Import as a draft' }).click();
      await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible(T);
      await expect(page).toHaveURL(/\/rollouts\/[0-9a-f-]{36}$/);
      created = new URL(page.url()).pathname.split('/').pop()!;
      const steps = page.getByRole('region', { name: 'Steps' });
      await expect(steps).toContainText('Set canary weight to 10 %');
      await expect(steps).toContainText('Pause for 1 min 30 s');
      await expect(steps).toContainText('Set canary weight to 50 %');

      // In the list: pending, not started, its three steps still ahead — and only once (the refusal created nothing).
      await page.goto(`/rollouts?q=${encodeURIComponent(tag)}`);
      const rows = page.locator('tbody tr');
      await expect(rows).toHaveCount(1, T);
      const row = rows.first();
      await expect(row.getByRole('rowheader')).toHaveText(name);
      await expect(row).toContainText('payment-svc');
      await expect(row).toContainText('v1 → v2');
      await expect(row).toContainText('Pending');
      await expect(row).toContainText('— of 3');
      await expect(row).toContainText('not started');
    } finally {
      // Leave the shared demo as it was: the draft is deleted (a pending rollout may be).
      if (created) {
        const res = await mutate(page.request, 'rollouts.remove', { id: created, version: 1 });
        expect(res.status(), await res.text()).toBe(200);
      }
    }
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
