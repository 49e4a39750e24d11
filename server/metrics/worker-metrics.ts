// Metrics measured inside the worker process: the telemetry loop's ticks, the platform adapter's
// calls, the job queue's outcomes. Each is made on first use in the process's shared registry
// (shared-registry.mjs), so the web process's /metrics does not show empty worker series.
// Labels are low-cardinality by construction: adapter kinds and method names, task names from the
// registry, fixed outcomes — never instance names, ids or user input.
import { Counter, Histogram } from 'prom-client';
import type { PlatformAdapter } from '../platform/adapter';
import { sharedMetric } from './shared-registry.mjs';

const TICK_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];

export const tickDurationSeconds = () =>
  sharedMetric('switchback_tick_duration_seconds', (r) =>
    new Histogram({ name: 'switchback_tick_duration_seconds', help: 'Telemetry ticks committed by this worker, from the tick start to COMMIT (read, compute, apply, persist).', buckets: TICK_BUCKETS, registers: [r] }),
  );

export const ticksTotal = () =>
  sharedMetric('switchback_ticks_total', (r) => new Counter({ name: 'switchback_ticks_total', help: 'Telemetry ticks committed by this worker while it led.', registers: [r] }));

export const ticksSkippedTotal = () =>
  sharedMetric('switchback_ticks_skipped_total', (r) =>
    new Counter({ name: 'switchback_ticks_skipped_total', help: 'Tick slots skipped because the previous tick ran more than half an interval late (a slow platform or database).', registers: [r] }),
  );

export const tickFailuresTotal = () =>
  sharedMetric('switchback_tick_failures_total', (r) =>
    new Counter({ name: 'switchback_tick_failures_total', help: 'Telemetry ticks that failed (platform unreachable, database error); the next slot tries again.', registers: [r] }),
  );

/** A committed tick took `ms` milliseconds. */
export function observeTick(ms: number): void {
  tickDurationSeconds().observe(ms / 1000);
  ticksTotal().inc();
}

// ── Platform adapter ────────────────────────────────────────────────────────────────────────

/** The adapter methods measured (a fixed list: the label never takes an unknown property name). */
export const ADAPTER_OPERATIONS = [
  'readTelemetry',
  'setFleet',
  'applyWeights',
  'applyServiceRouting',
  'setInstanceState',
  'injectFault',
  'removeFault',
  'syncFaults',
  'listFaults',
  'describe',
] as const;
type AdapterOperation = (typeof ADAPTER_OPERATIONS)[number];
const isOperation = (p: string | symbol): p is AdapterOperation => (ADAPTER_OPERATIONS as readonly (string | symbol)[]).includes(p);

export const adapterCallSeconds = () =>
  sharedMetric('switchback_adapter_call_duration_seconds', (r) =>
    new Histogram({
      name: 'switchback_adapter_call_duration_seconds',
      help: 'Calls of the platform adapter by adapter kind, operation and outcome (ok or error).',
      labelNames: ['kind', 'operation', 'outcome'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [r],
    }),
  );

export const adapterErrorsTotal = () =>
  sharedMetric('switchback_adapter_errors_total', (r) =>
    new Counter({ name: 'switchback_adapter_errors_total', help: 'Platform adapter calls that failed, by adapter kind and operation.', labelNames: ['kind', 'operation'] as const, registers: [r] }),
  );

/** An adapter kind as a label: the registry's kinds are short lowercase words; anything else is `other`. */
export const kindLabel = (kind: string) => (/^[a-z][a-z0-9-]{0,31}$/.test(kind) ? kind : 'other');

/**
 * The adapter with each platform call timed and its failures counted. Wrap it inside the fencing
 * proxy (fenced(measured(a))): a write refused by fencing never reached the platform, so it is
 * neither a platform call nor a platform error.
 */
export function measuredAdapter<A extends PlatformAdapter>(adapter: A): A {
  const kind = kindLabel(adapter.kind);
  return new Proxy(adapter, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (!isOperation(prop)) return fn;
      return async (...args: unknown[]) => {
        const end = adapterCallSeconds().startTimer({ kind, operation: prop });
        try {
          const result = await fn(...args);
          end({ outcome: 'ok' });
          return result;
        } catch (err) {
          end({ outcome: 'error' });
          adapterErrorsTotal().inc({ kind, operation: prop });
          throw err;
        }
      };
    },
  });
}

// ── Job queue ──────────────────────────────────────────────────────────────────────────────

export const jobRunsTotal = () =>
  sharedMetric('switchback_job_runs_total', (r) =>
    new Counter({
      name: 'switchback_job_runs_total',
      help: 'Jobs run by this worker, by task and outcome: success, error (will be retried) or failed (no attempts left).',
      labelNames: ['task', 'outcome'] as const,
      registers: [r],
    }),
  );

interface JobEvent {
  job: { task_identifier: string; attempts: number; max_attempts: number };
}
/** The part of graphile-worker's event emitter used here. */
export interface JobEvents {
  on(event: 'job:success' | 'job:error' | 'job:failed', listener: (e: JobEvent) => void): unknown;
}

/**
 * Counts job outcomes from graphile-worker's events. `job:error` fires on every failed attempt and
 * `job:failed` also on the last one, so an attempt that used the last try counts as failed only.
 * The task label is bounded by the task registry: a worker only claims jobs of tasks it knows.
 */
export function countJobOutcomes(events: JobEvents): void {
  const task = (e: JobEvent) => e.job.task_identifier;
  events.on('job:success', (e) => jobRunsTotal().inc({ task: task(e), outcome: 'success' }));
  events.on('job:error', (e) => {
    if (e.job.attempts < e.job.max_attempts) jobRunsTotal().inc({ task: task(e), outcome: 'error' });
  });
  events.on('job:failed', (e) => jobRunsTotal().inc({ task: task(e), outcome: 'failed' }));
}
