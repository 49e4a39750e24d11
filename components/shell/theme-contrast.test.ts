import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio } from './contrast';

// The theme variables of app/globals.css, per theme; every text colour is checked against every
// surface it is drawn on (WCAG AA: 4.5:1 for body text).
const css = readFileSync(new URL('../../app/globals.css', import.meta.url), 'utf8');
function themeVars(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  const block = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{3,6})\b/gi)].map((m) => [m[1]!, m[2]!]));
}
const THEMES = { light: themeVars(':root'), dark: themeVars(":root[data-theme='dark']") };

const PAIRS: Array<[text: string, background: string]> = [
  ['text', 'bg'], ['text', 'surface'], ['text', 'surface-sunken'], ['text', 'surface-hover'], ['text', 'input-bg'], ['text', 'accent-soft'],
  ['text-muted', 'bg'], ['text-muted', 'surface'], ['text-muted', 'surface-sunken'], ['text-muted', 'surface-hover'],
  ['link', 'bg'], ['link', 'surface'], ['link', 'surface-sunken'], ['link', 'accent-soft'],
  ['accent-contrast', 'accent'], ['accent-contrast', 'accent-hover'], ['danger-contrast', 'danger'], ['danger-contrast', 'danger-hover'],
  ['danger-text', 'surface'], ['danger-text', 'danger-bg'], ['danger-text', 'surface-sunken'], ['success-text', 'surface'], ['success-text', 'success-bg'], ['success-text', 'surface-sunken'],
  ['warning-text', 'warning-bg'], ['warning-text', 'surface'], ['info-text', 'info-bg'], ['info-text', 'surface'], ['neutral-text', 'neutral-bg'],
  ['header-text', 'header-bg'], ['header-muted', 'header-bg'], ['header-text', 'header-active'],
];

describe.each(Object.entries(THEMES))('the %s theme', (_name, vars) => {
  it.each(PAIRS)('%s on %s meets 4.5:1', (text, background) => {
    expect(vars[text], `--${text}`).toBeDefined();
    expect(vars[background], `--${background}`).toBeDefined();
    expect(contrastRatio(vars[text]!, vars[background]!)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('contrast ratio', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000', '#fff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});

describe('the policy diff colours', () => {
  // They were fixed pastel colours (#f28b82 / #8be0a4: 2.4:1 and 1.6:1 on the light theme's white).
  it('come from the theme, so they meet AA in both themes', () => {
    const policies = readFileSync(new URL('../policies/policies.module.css', import.meta.url), 'utf8');
    expect(/\.diffBefore\s*\{[^}]*color:\s*var\(--danger-text\)/.test(policies)).toBe(true);
    expect(/\.diffAfter\s*\{[^}]*color:\s*var\(--success-text\)/.test(policies)).toBe(true);
  });
});
