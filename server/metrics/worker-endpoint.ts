// The worker process's metrics endpoint, as configured (server/env.ts): started by
// server/jobs/main.ts when SWITCHBACK_WORKER_METRICS_PORT is set (npm start sets it).
import type { Env } from '../env';
import { startMetricsServer, type MetricsServer } from './exposition';

/** Null when no port is configured; a port that cannot be had is logged, and the worker runs on. */
export async function startWorkerMetrics(e: Env, log: (line: string) => void): Promise<MetricsServer | null> {
  if (!e.SWITCHBACK_WORKER_METRICS_PORT) return null;
  try {
    const s = await startMetricsServer({ port: e.SWITCHBACK_WORKER_METRICS_PORT, host: e.SWITCHBACK_WORKER_METRICS_HOST, token: e.SWITCHBACK_METRICS_TOKEN, log });
    log(`[worker] metrics at ${s.url}${e.SWITCHBACK_METRICS_TOKEN ? ' (bearer token required)' : ''}`);
    return s;
  } catch (err) {
    log(`[worker] metrics endpoint not started (${e.SWITCHBACK_WORKER_METRICS_HOST}:${e.SWITCHBACK_WORKER_METRICS_PORT}): ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
