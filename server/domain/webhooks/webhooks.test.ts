import { describe, expect, it } from 'vitest';
import { slackBody, webhookBody } from './bodies';
import { webhookDataSchemas, webhookSummary, type WebhookEnvelope } from './events';
import { createWebhookInput, webhookUrlProblem } from './subscription';

const approval: WebhookEnvelope<'rollout_approval_requested'> = {
  id: 'd1',
  event: 'rollout_approval_requested',
  occurredAt: '2026-12-02T04:00:00.000Z',
  summary: '',
  data: {
    rolloutId: 'r1',
    rollout: 'checkout <v2>',
    service: 'checkout',
    state: 'Waiting for approval',
    detail: '',
    link: 'https://sb.example.com/rollouts/r1',
    requestId: 'q1',
    stepIndex: 2,
    quorum: 2,
    expiresAt: '2026-12-02T05:00:00.000Z',
    approvalLink: 'https://sb.example.com/rollouts/r1?approval=q1',
  },
};
approval.summary = webhookSummary(approval.event, approval.data);

describe('webhook URLs', () => {
  it('takes http and https only, at most 2,000 characters, without credentials', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook')).toBeNull();
    expect(webhookUrlProblem('ftp://example.com/')).toContain('Only http');
    expect(webhookUrlProblem('javascript:alert(1)')).toContain('Only http');
    expect(webhookUrlProblem('file:///etc/passwd')).toContain('Only http');
    expect(webhookUrlProblem('https://user:pw@example.com/')).toContain('credentials');
    expect(webhookUrlProblem('https://token@example.com/')).toContain('credentials');
    expect(webhookUrlProblem('not a url')).toContain('full URL');
    expect(webhookUrlProblem(`https://e.com/${'a'.repeat(2000)}`)).toContain('2000');
  });

  it('the create input names the field with the problem', () => {
    const r = createWebhookInput.safeParse({ name: 'x', url: 'https://a:b@e.com', events: [] });
    expect(r.success).toBe(false);
    const fields = r.error!.issues.map((i) => i.path.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['url', 'events']));
    expect(createWebhookInput.safeParse({ name: 'x', url: 'https://e.com', events: ['test'] }).success).toBe(false);
    expect(createWebhookInput.parse({ name: 'x', url: 'https://e.com', events: ['halt_engaged', 'halt_engaged'] }).events).toEqual(['halt_engaged']);
  });
});

describe('webhook bodies', () => {
  it('json: the envelope with the event data, valid against its schema', () => {
    expect(webhookBody('json', approval)).toBe(approval);
    expect(webhookDataSchemas.rollout_approval_requested.parse(approval.data)).toEqual(approval.data);
    expect(webhookDataSchemas.rollout_approval_requested.safeParse({ ...approval.data, extra: 1 }).success).toBe(false);
  });

  it('slack: text for notifications and blocks with a primary button opening the approval', () => {
    const b = slackBody(approval);
    expect(b.text).toContain('waiting for 2 approvals');
    expect(b.text).toContain('https://sb.example.com/rollouts/r1?approval=q1');
    // mrkdwn escaped: a rollout's name cannot forge a link.
    expect(JSON.stringify(b.blocks[0])).toContain('checkout &lt;v2&gt;');
    const actions = b.blocks.find((x) => x.type === 'actions') as { elements: Array<Record<string, unknown>> };
    expect(actions.elements[0]).toMatchObject({ type: 'button', url: 'https://sb.example.com/rollouts/r1?approval=q1', style: 'primary', text: { type: 'plain_text', text: 'Review and approve' } });
  });

  it('slack: no button without an http(s) link (the test event)', () => {
    const b = slackBody({ id: 'd', event: 'test', occurredAt: 'now', summary: 'Test delivery', data: { subscriptionId: 's', subscription: 'n', message: 'm' } });
    expect(b.blocks.some((x) => x.type === 'actions')).toBe(false);
    expect(b.text).toBe('Test delivery');
  });
});
