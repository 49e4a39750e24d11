'use client';

// First: no eval under the CSP (components/policies/zod-no-eval.ts), before the event schemas are built.
import '@/components/policies/zod-no-eval';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { SUBSCRIBABLE_EVENTS, WEBHOOK_EVENT_LABELS } from '@/server/domain/webhooks/events';
import { useTRPC } from '@/components/trpc/client';
import { Button } from '@/components/ui/button';
import { CurrentValues, staleWriteOf } from '@/components/ui/conflict';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { useFieldErrors } from '@/components/ui/use-field-errors';
import uiStyles from '@/components/ui/ui.module.css';
import type { WebhookRow } from './contract';
import styles from './webhooks.module.css';

type EventName = (typeof SUBSCRIBABLE_EVENTS)[number];

interface Props {
  /** 'new', a subscription to edit, or null (closed). */
  editing: WebhookRow | 'new' | null;
  onClose: () => void;
  /** After a create: the secret to show once. */
  onCreated: (name: string, secret: string) => void;
}

export function WebhookFormDialog({ editing, onClose, onCreated }: Props) {
  return (
    <Dialog open={editing !== null} title={editing === 'new' ? 'New webhook' : `Edit webhook “${editing?.name ?? ''}”`} onClose={onClose} size="wide">
      {/* Mounted only while open: every opening starts from the saved values. */}
      {editing ? <WebhookForm key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`} editing={editing} onClose={onClose} onCreated={onCreated} /> : null}
    </Dialog>
  );
}

function WebhookForm({ editing, onClose, onCreated }: { editing: WebhookRow | 'new' } & Omit<Props, 'editing'>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const row = editing === 'new' ? null : editing;
  const [name, setName] = useState(row?.name ?? '');
  const [url, setUrl] = useState(row?.url ?? '');
  const [events, setEvents] = useState<EventName[]>((row?.events.filter((e) => e !== 'test')) ?? ['rollout_approval_requested']);
  const [format, setFormat] = useState<'json' | 'slack'>(row?.format ?? 'json');
  const [active, setActive] = useState(row?.active ?? true);
  const done = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: async (r) => {
        await done();
        onCreated(r.name, r.secret);
      },
    }),
  );
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({
      onSuccess: async () => {
        await done();
        onClose();
      },
    }),
  );
  const error = create.error ?? update.error;
  const fields = useFieldErrors(error);
  const stale = staleWriteOf(error);
  const busy = create.isPending || update.isPending;

  function submit(e: FormEvent) {
    e.preventDefault();
    const values = { name: name.trim(), url: url.trim(), events, format, active };
    if (row) update.mutate({ id: row.id, version: row.version, ...values });
    else create.mutate(values);
  }

  const toggle = (ev: EventName, on: boolean) => setEvents((list) => (on ? [...list, ev].filter((x, i, a) => a.indexOf(x) === i) : list.filter((x) => x !== ev)));
  const eventsError = fields.of('events');

  return (
    <form onSubmit={submit} noValidate>
      <ErrorText error={error && !fields.any ? error : null} />
      {stale ? <CurrentValues stale={stale} labels={{ name: 'Name', url: 'URL', events: 'Events', format: 'Format', active: 'Active' }} /> : null}
      <Field label="Name" hint="How the console and the audit name it, e.g. #deploys channel" error={fields.of('name')} maxLength={200} length={name.length}>
        {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} autoComplete="off" autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="URL" hint="Where Switchback POSTs each event: http:// or https://, no user name or password in it" error={fields.of('url')} maxLength={2000} length={url.length}>
        {(p) => <input {...p} className={`${p.className ?? ''} ${styles.input}`} type="url" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://hooks.example.com/switchback" value={url} onChange={(e) => setUrl(e.target.value)} />}
      </Field>
      <fieldset className={styles.events} aria-describedby={eventsError ? 'webhook-events-error' : undefined} aria-invalid={eventsError ? true : undefined}>
        <legend>Events</legend>
        <div className={styles.eventList}>
          {SUBSCRIBABLE_EVENTS.map((ev) => (
            <label key={ev} className={styles.check}>
              <input type="checkbox" checked={events.includes(ev)} onChange={(e) => toggle(ev, e.target.checked)} />
              {WEBHOOK_EVENT_LABELS[ev]}
            </label>
          ))}
        </div>
        {eventsError ? (
          <p id="webhook-events-error" className={uiStyles.fieldError}>
            {eventsError.join(' · ')}
          </p>
        ) : null}
      </fieldset>
      <Field label="Body format" hint={format === 'slack' ? 'Slack-compatible {text, blocks}: paste a Slack (or Mattermost) incoming-webhook URL' : 'JSON: {id, event, occurredAt, summary, data}'} error={fields.of('format')}>
        {(p) => (
          <select {...p} value={format} onChange={(e) => setFormat(e.target.value === 'slack' ? 'slack' : 'json')}>
            <option value="json">JSON</option>
            <option value="slack">Slack</option>
          </select>
        )}
      </Field>
      <label className={styles.check}>
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Active (paused subscriptions receive nothing but tests)
      </label>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={busy} busyLabel={row ? 'Saving…' : 'Creating…'}>
          {row ? 'Save' : 'Create webhook'}
        </Button>
      </DialogActions>
    </form>
  );
}
