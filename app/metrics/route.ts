// GET /metrics for Prometheus: outside the console (no session); SWITCHBACK_METRICS_TOKEN, when
// set, is required as a bearer token. server/metrics/exposition.ts says what is in it.
import { db, pgPool } from '@/server/db/client';
import { env } from '@/server/env';
import { webMetricsResponse } from '@/server/metrics/exposition';

export const dynamic = 'force-dynamic';

/** Past this the scrape answers without the database figures (switchback_database_up 0). */
const DATABASE_DEADLINE_MS = 4000;

export async function GET(request: Request) {
  return webMetricsResponse({
    authorization: request.headers.get('authorization'),
    token: env().SWITCHBACK_METRICS_TOKEN,
    // Lazily: a process without a database still answers its own metrics.
    db: { query: async (sql) => pgPool(db()).query(sql) },
    deadlineMs: DATABASE_DEADLINE_MS,
    log: (line) => console.error(line),
  });
}
