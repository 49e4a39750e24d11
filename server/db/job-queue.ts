import type { DbOrTx } from './client';
import { taskPayloadSchemas, type JobName, type JobPayload } from './job-payloads';

export type { JobName, JobPayload };

/**
 * Adds a graphile-worker job with SQL so that it belongs to the caller's transaction: a
 * rolled-back command never leaves a job behind. The payload is validated before it is stored.
 */
export async function enqueueJob<N extends JobName>(
  db: DbOrTx,
  name: N,
  payload: JobPayload<N>,
  opts: { jobKey?: string; runAt?: Date; maxAttempts?: number } = {},
): Promise<void> {
  const parsed: unknown = taskPayloadSchemas[name].parse(payload);
  await db.$executeRaw`SELECT graphile_worker.add_job(
    identifier => ${name}::text,
    payload => ${JSON.stringify(parsed)}::json,
    run_at => ${opts.runAt ?? null}::timestamptz,
    job_key => ${opts.jobKey ?? null}::text,
    max_attempts => ${opts.maxAttempts ?? null}::int
  )`;
}
