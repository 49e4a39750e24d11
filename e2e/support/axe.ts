import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

// axe-core, the copy @axe-core/playwright ships, run in the page as it is. Run directly rather than
// through AxeBuilder: each analyze() evaluates the ~0.5 MB source in the page, then opens a blank
// page and evaluates it there again to merge the frames' results (the halt spec's two checks: 2.0
// and 2.5 s of the blank page alone at load 13). The pages checked have no frames: one axe.run in
// the document is the same check. The source is evaluated once per document.
const AXE_SOURCE = readFileSync(createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright')).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2 A and AA: what the specs check (AxeBuilder's withTags(['wcag2a', 'wcag2aa'])). */
export const WCAG_AA = { type: 'tag', values: ['wcag2a', 'wcag2aa'] } as const;

export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

export interface AxeOptions {
  /** Only what this selector matches (AxeBuilder's include()); else the whole document. */
  include?: string;
  /** The rules to run (default: every WCAG 2 A/AA rule). */
  runOnly?: { type: 'tag' | 'rule'; values: readonly string[] };
}

/** The axe violations of the page as it is now, each with every node it was found on. */
export async function axeViolations(page: Page, o: AxeOptions = {}): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  // resultTypes: every violation is still reported with all its nodes; passes, incomplete and
  // inapplicable (never read) keep one node each, so axe does not build a selector and an HTML
  // excerpt for every element that passed (thousands on /api-docs).
  return page.evaluate(
    ({ include, runOnly }) =>
      (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe
        .run(include === null ? document : { include: [[include]] }, { runOnly, resultTypes: ['violations'] })
        .then((r) => r.violations),
    { include: o.include ?? null, runOnly: o.runOnly ?? WCAG_AA },
  );
}
