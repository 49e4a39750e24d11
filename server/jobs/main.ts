// Entry point of a worker process: `npm run worker` (npm start runs one for you).
import { createDb, dbTimeouts } from '../db/client';
import { databaseUrl, env, EnvError } from '../env';
import { startWorker } from './worker';

async function main() {
  const e = env();
  const url = databaseUrl();
  // Jobs (rollups over hours of samples, retention) get a longer statement timeout than requests.
  const db = createDb(url, 5, { ...dbTimeouts(e), statementMs: e.SWITCHBACK_DB_JOB_STATEMENT_TIMEOUT_MS });
  const worker = await startWorker({ db, env: e, connectionString: url });
  console.log(`[worker] ${worker.id} started (concurrency ${e.SWITCHBACK_WORKER_CONCURRENCY})`);
  const shutdown = async (signal: string) => {
    console.log(`[worker] ${signal}: finishing running jobs`);
    await worker.stop();
    await db.$disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
