// Entry point of a worker process: `npm run worker` (npm start runs one for you).
import { createDb, dbTimeouts } from '../db/client';
import { databaseUrl, env, EnvError } from '../env';
import { startWorker } from './worker';
import { startWorkerMetrics } from '../metrics/worker-endpoint';

/** On SIGTERM a running job gets this long to finish; then it is handed back to be retried. */
const JOB_GRACE_MS = 5_000;

async function main() {
  const e = env();
  const url = databaseUrl();
  // Jobs (rollups over hours of samples, retention) get a longer statement timeout than requests.
  const db = createDb(url, 5, { ...dbTimeouts(e), statementMs: e.SWITCHBACK_DB_JOB_STATEMENT_TIMEOUT_MS });
  const worker = await startWorker({ db, env: e, connectionString: url });
  console.log(`[worker] ${worker.id} started (concurrency ${e.SWITCHBACK_WORKER_CONCURRENCY})`);
  const metrics = await startWorkerMetrics(e, (line) => console.log(line));
  const shutdown = async (signal: string) => {
    console.log(`[worker] ${signal}: finishing running jobs (at most ${JOB_GRACE_MS / 1000} s, then they are handed back)`);
    const handBack = setTimeout(() => {
      console.log('[worker] jobs still running: handing them back to the queue');
      // Forceful: graphile-worker fails the running jobs with a message, so they are retried.
      worker.runner.kill('the worker is stopping').catch(() => undefined);
    }, JOB_GRACE_MS);
    await worker.stop();
    await metrics?.close();
    clearTimeout(handBack);
    await db.$disconnect();
    console.log('[worker] stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
