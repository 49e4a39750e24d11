// What a webhook says, event by event: the data each event carries (validated before a delivery is
// stored, so a receiver can rely on the shape) and the envelope around it. Receivers switch on
// `event`; `summary` is the one line a person reads in a chat channel.
import { z } from 'zod';

export const WEBHOOK_EVENTS = [
  'rollout_approval_requested',
  'rollout_promoted',
  'rollout_rolled_back',
  'rollout_analysis_failed',
  'experiment_started',
  'experiment_aborted',
  'experiment_report_ready',
  'halt_engaged',
  'halt_released',
  'freeze_started',
  'test',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** The events a subscription may choose ('test' is sent to one subscription on request only). */
export const SUBSCRIBABLE_EVENTS = WEBHOOK_EVENTS.filter((e): e is Exclude<WebhookEventName, 'test'> => e !== 'test');

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventName, string> = {
  rollout_approval_requested: 'Rollout waiting for approval',
  rollout_promoted: 'Rollout promoted (100 % on the new version)',
  rollout_rolled_back: 'Rollout rolled back',
  rollout_analysis_failed: 'Rollout analysis failed',
  experiment_started: 'Experiment run started injecting',
  experiment_aborted: 'Experiment run aborted',
  experiment_report_ready: 'Experiment report ready',
  halt_engaged: 'Halt-all engaged',
  halt_released: 'Halt-all released',
  freeze_started: 'Freeze window started',
  test: 'Test delivery',
};

// Bounds: every field of a payload is bounded like an input (the payload is stored and sent).
const id = z.string().max(64);
const label = z.string().max(200);
const words = z.string().max(2000);
const link = z.string().max(2300);
const iso = z.string().max(40);

const rollout = {
  rolloutId: id,
  rollout: label,
  service: label,
  /** The rollout's state after the event, and why, in words. */
  state: label,
  detail: words,
  /** The rollout page in the console (sign-in required). */
  link,
};

const run = {
  runId: id,
  experimentId: id,
  experiment: label,
  number: z.number().int(),
  state: label,
  detail: words,
  link,
};

export const webhookDataSchemas = {
  rollout_approval_requested: z
    .object({
      ...rollout,
      requestId: id,
      stepIndex: z.number().int(),
      quorum: z.number().int(),
      expiresAt: iso,
      /** Opens the approval panel of the rollout (the same rules apply: never the author, quorum, expiry). */
      approvalLink: link,
    })
    .strict(),
  rollout_promoted: z.object({ ...rollout, version: label }).strict(),
  rollout_rolled_back: z.object({ ...rollout, reason: label }).strict(),
  rollout_analysis_failed: z.object({ ...rollout }).strict(),
  experiment_started: z.object({ ...run }).strict(),
  experiment_aborted: z.object({ ...run, reason: label }).strict(),
  experiment_report_ready: z.object({ ...run, reportSummary: words }).strict(),
  halt_engaged: z.object({ haltId: id, by: label, reason: words, runsAborted: z.number().int(), rolloutsPaused: z.number().int(), link }).strict(),
  halt_released: z.object({ haltId: id, by: label, reason: words, rolloutsStillPaused: z.number().int(), link }).strict(),
  freeze_started: z
    .object({ windowId: id, window: label, reason: words, startsAt: iso, endsAt: iso, appliesToRollouts: z.boolean(), appliesToExperiments: z.boolean(), link })
    .strict(),
  test: z.object({ subscriptionId: id, subscription: label, message: words }).strict(),
} satisfies Record<WebhookEventName, z.ZodType>;

export type WebhookData<E extends WebhookEventName> = z.input<(typeof webhookDataSchemas)[E]>;

/** The JSON body of a delivery (format json): one envelope around the event's data. */
export interface WebhookEnvelope<E extends WebhookEventName = WebhookEventName> {
  /** The delivery's id: the same on every retry, so a receiver can drop duplicates. */
  id: string;
  event: E;
  /** When the event happened (ISO 8601, UTC). */
  occurredAt: string;
  summary: string;
  data: WebhookData<E>;
}

export const webhookEnvelopeSchema = z
  .object({ id, event: z.enum(WEBHOOK_EVENTS), occurredAt: iso, summary: words, data: z.record(z.string().max(64), z.unknown()) })
  .strict();

const said = (s: string, max = 300) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The event in one line, for people (the Slack text, the console's delivery log). */
export function webhookSummary<E extends WebhookEventName>(event: E, data: WebhookData<E>): string {
  const d = data as Record<string, unknown>;
  const s = (k: string) => {
    const v = d[k];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  };
  switch (event) {
    case 'rollout_approval_requested':
      return `Rollout "${s('rollout')}" of ${s('service')} is waiting for ${s('quorum')} approval${d.quorum === 1 ? '' : 's'} (until ${s('expiresAt').slice(0, 16).replace('T', ' ')} UTC)`;
    case 'rollout_promoted':
      return `Rollout "${s('rollout')}" of ${s('service')} promoted: 100 % on ${s('version')}`;
    case 'rollout_rolled_back':
      return `Rollout "${s('rollout')}" of ${s('service')} rolled back (${s('reason')})`;
    case 'rollout_analysis_failed':
      return `Rollout "${s('rollout')}" of ${s('service')}: analysis failed — ${said(s('detail'))}`;
    case 'experiment_started':
      return `Experiment "${s('experiment')}" run #${s('number')} started injecting`;
    case 'experiment_aborted':
      return `Experiment "${s('experiment')}" run #${s('number')} aborted (${s('reason')})`;
    case 'experiment_report_ready':
      return `Experiment "${s('experiment')}" run #${s('number')}: report ready — ${said(s('reportSummary'))}`;
    case 'halt_engaged':
      return `Halt-all engaged by ${s('by')}: ${said(s('reason'))}`;
    case 'halt_released':
      return `Halt-all released by ${s('by')}: ${said(s('reason'))}`;
    case 'freeze_started':
      return `Freeze window "${s('window')}" started (${said(s('reason'))}), until ${s('endsAt').slice(0, 16).replace('T', ' ')} UTC`;
    case 'test':
      return `Test delivery to "${s('subscription')}": ${said(s('message'))}`;
  }
  return event;
}
