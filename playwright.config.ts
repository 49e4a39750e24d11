import { defineConfig } from '@playwright/test';
import { chromiumPath } from './e2e/support/browser';

// End-to-end against the real app started the README way (`npm start`) by global setup, in the
// system Chromium (Playwright's own browser download does not work offline).
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/support/global-setup.ts',
  globalTeardown: './e2e/support/global-teardown.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json']],
  outputDir: '.tmp/e2e-results',
  // The first-start checks read the seeded demo platform as `npm start` left it, so they run
  // before any spec changes it (adds an adapter, imports a topology, renames a service).
  projects: [
    { name: 'first-start', testMatch: /first-start\.spec\.ts$/ },
    { name: 'console', testIgnore: /first-start\.spec\.ts$/, dependencies: ['first-start'] },
  ],
  use: {
    baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? '3210'}`,
    // A failed test keeps its trace with a DOM snapshot per action and its final screenshot, not
    // the screencast: the filmstrip costs Chromium's compositor a frame per repaint, and the live
    // pages repaint every tick (6 page views: ~19 s CPU with it, ~11 s without, 2x the wall time).
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: true },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
