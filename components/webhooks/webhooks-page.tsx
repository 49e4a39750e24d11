'use client';

// First: no eval under the CSP (components/policies/zod-no-eval.ts), before the event schemas are built.
import '@/components/policies/zod-no-eval';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { WEBHOOK_EVENT_LABELS } from '@/server/domain/webhooks/events';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText, Notice } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { Table } from '@/components/ui/table';
import { useUrlPatch } from '@/components/ui/use-url-patch';
import type { WebhookRow } from './contract';
import { DeliveryLog } from './delivery-log';
import { WebhookSecretDialog } from './secret-dialog';
import { WebhookFormDialog } from './webhook-form';
import styles from './webhooks.module.css';

/** Settings → Webhooks: subscriptions, their secret (shown once), a delivery log per subscription, "Send test". */
export function WebhooksPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { params, go } = useUrlPatch();
  const list = useQuery({ ...trpc.webhooks.list.queryOptions(), refetchInterval: 5000 });
  const [editing, setEditing] = useState<WebhookRow | 'new' | null>(null);
  const [deleting, setDeleting] = useState<WebhookRow | null>(null);
  const [rotating, setRotating] = useState<WebhookRow | null>(null);
  // A secret lives only here, only until its dialog is closed.
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [watching, setWatching] = useState<string | null>(null);
  const selectedId = params.get('webhook');
  const selected = list.data?.find((w) => w.id === selectedId) ?? null;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });

  const remove = useMutation(
    trpc.webhooks.remove.mutationOptions({
      onSuccess: async (_r, v) => {
        await refresh();
        setNotice(`Webhook “${deleting?.name ?? ''}” removed: nothing more is sent to it.`);
        setDeleting(null);
        if (v.id === selectedId) go({ webhook: null });
      },
    }),
  );
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: async (r) => {
        await refresh();
        setRotating(null);
        setSecret({ name: r.name, secret: r.secret });
      },
    }),
  );
  const test = useMutation(
    trpc.webhooks.test.mutationOptions({
      onSuccess: async (r, v) => {
        setWatching(r.deliveryId);
        go({ webhook: v.id });
        await queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.queryKey({ id: v.id, limit: 50 }) });
      },
    }),
  );
  const sendTest = (w: WebhookRow) => {
    setWatching(null);
    test.mutate({ id: w.id });
  };

  return (
    <>
      <div className={styles.headRow}>
        <h1>Webhooks</h1>
        <Button variant="primary" onClick={() => setEditing('new')}>
          New webhook
        </Button>
      </div>
      <p className="lead">
        Switchback POSTs events (approvals waiting, promotions, rollbacks, halts, freezes, experiment runs) to these URLs, signed with each subscription’s secret, retried with backoff for about 30 minutes.
      </p>
      {notice ? <Notice>{notice}</Notice> : null}
      {test.error ? <ErrorText error={test.error} /> : null}
      {list.isPending ? <Loading what="webhooks" /> : null}
      {list.isError ? <ErrorText error={list.error} action={<Button size="small" onClick={() => void list.refetch()}>Try again</Button>} /> : null}
      {list.data && list.data.length === 0 ? (
        <EmptyState title="No webhooks" action={<Button onClick={() => setEditing('new')}>New webhook</Button>}>
          Add one to tell a chat channel or a pager when a rollout waits for approval, is rolled back, or halt-all is engaged.
        </EmptyState>
      ) : null}
      {list.data?.length ? (
        <Table label="Webhooks">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Format</th>
              <th scope="col">Deliveries</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((w) => (
              <tr key={w.id} className={w.id === selectedId ? styles.selected : undefined}>
                <td>
                  {w.name} {w.active ? null : <Badge tone="neutral">paused</Badge>}
                  <div className="muted">secret {w.secretHint}</div>
                </td>
                <td className={styles.url}>{w.url}</td>
                <td>{w.events.map((e) => WEBHOOK_EVENT_LABELS[e]).join(', ')}</td>
                <td>{w.format === 'slack' ? 'Slack' : 'JSON'}</td>
                <td>
                  {w.deliveries.delivered} delivered
                  {w.deliveries.failed ? <> · <Badge tone="danger">{w.deliveries.failed} failed</Badge></> : null}
                  {w.deliveries.pending ? ` · ${w.deliveries.pending} pending` : ''}
                </td>
                <td>
                  <div className={styles.actions}>
                    <Button size="small" aria-label={`Deliveries of ${w.name}`} aria-pressed={w.id === selectedId} onClick={() => go({ webhook: w.id === selectedId ? null : w.id })}>
                      Deliveries
                    </Button>
                    <Button size="small" aria-label={`Send a test to ${w.name}`} busy={test.isPending && test.variables.id === w.id} busyLabel="Sending…" onClick={() => sendTest(w)}>
                      Send test
                    </Button>
                    <Button size="small" aria-label={`Edit ${w.name}`} onClick={() => setEditing(w)}>
                      Edit
                    </Button>
                    <Button size="small" aria-label={`Rotate the secret of ${w.name}`} onClick={() => setRotating(w)}>
                      Rotate secret
                    </Button>
                    <Button size="small" variant="danger" aria-label={`Delete ${w.name}`} onClick={() => setDeleting(w)}>
                      Delete
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {selected ? <DeliveryLog webhook={selected} watching={watching} testing={test.isPending} onTest={() => sendTest(selected)} /> : list.data?.length ? <p className="muted">Choose “Deliveries” to see what was sent to a URL and how it answered.</p> : null}
      <WebhookFormDialog
        editing={editing}
        onClose={() => setEditing(null)}
        onCreated={(name, s) => {
          setEditing(null);
          setNotice(`Webhook “${name}” created.`);
          setSecret({ name, secret: s });
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete webhook “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete webhook"
        busyLabel="Deleting…"
        destructive
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id, version: deleting.version })}
        onCancel={() => {
          remove.reset();
          setDeleting(null);
        }}
      >
        Nothing more is sent to {deleting?.url}. Deliveries still retrying stop at their next try.
      </ConfirmDialog>
      <ConfirmDialog
        open={rotating !== null}
        title={`Rotate the secret of “${rotating?.name ?? ''}”?`}
        confirmLabel="Rotate secret"
        busyLabel="Rotating…"
        destructive
        busy={rotate.isPending}
        error={rotate.error}
        onConfirm={() => rotating && rotate.mutate({ id: rotating.id, version: rotating.version })}
        onCancel={() => {
          rotate.reset();
          setRotating(null);
        }}
      >
        Deliveries are signed with the new secret from now on: the receiver refuses them until it has the new one.
      </ConfirmDialog>
      <WebhookSecretDialog shown={secret} onClose={() => setSecret(null)} />
    </>
  );
}
