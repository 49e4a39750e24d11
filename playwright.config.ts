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
    // No trace by default: recording one for every test (DOM snapshots, network, action log) and
    // discarding it on success cost ~16 % of the CPU of a subset (accessibility + halt specs, --no-deps,
    // cgroup cpuacct of the whole tree, 3 interleaved pairs at load 11-16): on 320/354/372 CPU-s,
    // off 336/280/261; the Playwright worker alone 20.7 vs 9.6 s, Chromium's browser process 35.6 vs
    // 25.3 s in the last pair. A failure still leaves its final screenshot and Playwright's error
    // context; E2E_TRACE=1 records the trace as before (kept only for a failed test, one DOM
    // snapshot per action, no screencast: that filmstrip cost Chromium a frame per live repaint).
    trace: process.env.E2E_TRACE ? { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: true } : 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
