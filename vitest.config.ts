import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` (no database, fast) and `integration` (`*.int.test.ts`, real PostgreSQL
// from test/global-setup.ts, one cloned database per file). `npm run test:unit` / `test:int`.
const exclude = ['**/node_modules/**', '**/.next/**', 'e2e/**', '.tmp/**', '.data/**'];

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    // Root-only option: the unit project may legitimately have no files yet.
    passWithNoTests: true,
    // expect.poll waits for a condition; its default gives up after 1 s, which a loaded machine
    // overruns for nothing. A poll still ends as soon as its condition holds.
    expect: { poll: { timeout: 60_000, interval: 50 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
          // A timeout guards against a hang, never against a slow machine: the seeded property and
          // false-detection runs take seconds alone and far longer beside a loaded CPU.
          testTimeout: 60_000,
          // One module graph per worker for all its files, not a fresh one per file: loading it was
          // most of the project's time (import 120 s of 512 s at load 12; 65 s in all without). The
          // files share no state: none writes process.env or a global, spies are restored after
          // each case; the whole project passes in shuffled file orders too.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude,
          globalSetup: ['test/global-setup.ts'],
          // Generous database limits: a loaded CI machine must not turn a slow statement into a
          // failure. The timeout behaviour itself is tested with explicit, short limits.
          env: { SWITCHBACK_DB_STATEMENT_TIMEOUT_MS: '60000', SWITCHBACK_DB_CONNECT_TIMEOUT_MS: '30000' },
          // Forks, not threads: pg pools, LISTEN connections and child processes are cleaned up
          // with the process, and a stuck file cannot take a sibling down with it.
          pool: 'forks',
          // One module graph per fork for all its files, as in the unit project: importing it
          // afresh for each of ~100 files took 451 s summed (quiet CI), 11-40 s without. Each file
          // has its own database; the process singletons (db(), liveBus(), the service graph's
          // cache) follow the database they are asked for. Passes in shuffled file orders
          // (--sequence.shuffle.files).
          isolate: false,
          // Two files at a time: each has its own database, and these machines have 2 cores.
          fileParallelism: true,
          maxWorkers: 2,
          // A timeout guards against a hang, never against a slow machine: at load 30+ on 2 cores
          // (a CI run beside other builds) plain cases took over 30 s and failed for nothing.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
