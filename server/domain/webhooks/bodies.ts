// The two body formats a subscription may choose. json: the envelope as is. slack: what Slack's
// incoming webhooks (and Mattermost, Rocket.Chat, Teams' Slack-compatible connectors) accept —
// `text` for notifications and clients without blocks, `blocks` for the message, with a button
// that opens the approval (or the thing the event is about) in the console.
import type { WebhookEnvelope, WebhookEventName } from './events';

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export interface SlackBody {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** Slack's mrkdwn treats these three as markup: escaped so a name cannot forge a link. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The link a button opens: the approval when there is one, else the page of the thing. */
export function linkOf(envelope: WebhookEnvelope): string | null {
  const d = envelope.data as Record<string, unknown>;
  const l = typeof d.approvalLink === 'string' ? d.approvalLink : typeof d.link === 'string' ? d.link : null;
  return l && /^https?:\/\//.test(l) ? l : null;
}

const BUTTON_TEXT: Partial<Record<WebhookEventName, string>> = {
  rollout_approval_requested: 'Review and approve',
  experiment_report_ready: 'Open the report',
};

export function slackBody(envelope: WebhookEnvelope): SlackBody {
  const link = linkOf(envelope);
  const text = envelope.summary;
  const blocks: SlackBody['blocks'] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*Switchback* — ${escape(text)}` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${escape(envelope.event)} · ${escape(envelope.occurredAt)}` }] },
  ];
  if (link) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: BUTTON_TEXT[envelope.event] ?? 'Open in Switchback' },
          url: link,
          ...(envelope.event === 'rollout_approval_requested' ? { style: 'primary' } : {}),
        },
      ],
    });
  }
  return { text: link ? `${text} — ${link}` : text, blocks };
}

/** The body of a delivery in the subscription's format (stored as sent, and signed as serialised). */
export function webhookBody(format: WebhookFormat, envelope: WebhookEnvelope): object {
  return format === 'slack' ? slackBody(envelope) : envelope;
}
