// Topics of the live bus and the schema of each payload. The client maps each topic to the cache
// entries it changes (components/live/apply-event.ts); keep the two in step. A producer's payload
// is checked when it is written (runCommand's emit), a consumer's when it is read (the bus drops
// a row that does not match, with a log line): a stray row never reaches a browser.
import { z } from 'zod';

/** NOTIFY channel of the command path; the payload is the committed LiveEvent's id. */
export const LIVE_CHANNEL = 'switchback_live';
/** NOTIFY channel of the telemetry loop; the payload is the committed Tick's id. */
export const TICK_CHANNEL = 'switchback_tick';
/** NOTIFY channel that wakes the telemetry leader to converge faults to the Injection rows now. */
export const FAULTS_CHANNEL = 'sb_faults';

const name = z.string().min(1).max(200);
const version = z.number().int().min(1).max(2_147_483_647);
const count = z.number().int().min(0).max(2_147_483_647);

export const liveTopicSchemas = {
  'user.changed': z.object({ id: z.uuid(), name }),
  // An edit carries the new fields, a convergence the version the platform now runs.
  'service.changed': z.union([
    z.object({ id: z.uuid(), name, description: z.string().max(100_000), version }),
    z.object({ id: z.uuid(), appliedVersion: version }),
  ]),
  'topology.changed': z.object({ source: name, services: count, instances: count, updated: count }),
  'policy.changed': z.object({ kind: z.string().min(1).max(40), scope: name, version }),
  // A rollout's row moved (a command or its reconciler): the fleet table and its page refetch.
  // The states of server/domain/rollouts/machine.ts (server/live may not import the domain).
  'rollout.changed': z.object({
    id: z.uuid(),
    version,
    state: z.enum(['pending', 'progressing', 'paused', 'promoting', 'succeeded', 'aborted', 'rolled_back']),
  }),
  // An experiment, its schedules or one of its runs changed: the experiments pages refetch.
  // The run states of server/domain/experiments/machine.ts (server/live may not import the domain).
  'experiment.changed': z.object({
    experimentId: z.uuid(),
    runId: z.uuid().optional(),
    state: z.enum(['pending', 'injecting', 'running', 'recovering', 'completed', 'aborted', 'failed', 'skipped']).optional(),
  }),
  // Halt-all engaged or released, a freeze window or the global limits changed: the banner and
  // the safety page refetch (the payload is empty: the status query says what is true now).
  'safety.changed': z.object({}),
  // No producer sends a payload for these yet: the topic alone tells the client what to refetch.
  'audit.appended': z.object({}),
  'worker.changed': z.object({}),
} as const;

export type LiveTopic = keyof typeof liveTopicSchemas;
export const LIVE_TOPICS = Object.keys(liveTopicSchemas) as [LiveTopic, ...LiveTopic[]];
export type LivePayload<T extends LiveTopic> = z.input<(typeof liveTopicSchemas)[T]>;

export interface LiveEventData {
  id: string;
  at: string;
  topic: LiveTopic;
  payload: Record<string, unknown>;
}

/** The tick feed's NOTIFY payload: a Tick id (bigint as text). */
export const tickIdSchema = z.string().max(19).regex(/^\d{1,19}$/);

const isTopic = (t: string): t is LiveTopic => Object.hasOwn(liveTopicSchemas, t);

/** A stored event checked against its topic's schema: the event, or why it is not one. */
export function parseLiveEvent(row: { id: string; at: Date; topic: string; payload: unknown }): { event: LiveEventData } | { error: string } {
  if (!isTopic(row.topic)) return { error: `unknown topic "${row.topic.slice(0, 60)}"` };
  const parsed = liveTopicSchemas[row.topic].safeParse(row.payload);
  if (!parsed.success) return { error: `payload does not match the schema of ${row.topic}: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ').slice(0, 300)}` };
  return { event: { id: row.id, at: row.at.toISOString(), topic: row.topic, payload: parsed.data } };
}
