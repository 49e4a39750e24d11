'use client';

// First: no eval under the CSP (components/policies/zod-no-eval.ts), before the event schemas are built.
import '@/components/policies/zod-no-eval';
import { useQuery } from '@tanstack/react-query';
import { WEBHOOK_EVENT_LABELS } from '@/server/domain/webhooks/events';
import { useTRPC } from '@/components/trpc/client';
import { Badge, type Tone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ClampedText } from '@/components/ui/clamped-text';
import { useDisplayZone } from '@/components/ui/display-zone';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { formatDateTime } from '@/components/ui/format-time';
import { Loading } from '@/components/ui/spinner';
import { Num, NumHead, Table } from '@/components/ui/table';
import type { DeliveryRow, WebhookRow } from './contract';
import styles from './webhooks.module.css';

/** The log refreshes this often while it is open: deliveries and their retries change in the background. */
const REFRESH_MS = 2000;

const STATE_TONE: Record<DeliveryRow['state'], Tone> = { pending: 'info', delivered: 'success', failed: 'danger' };

export function deliveryWords(d: DeliveryRow): string {
  const status = d.responseStatus === null ? (d.response || 'no answer yet') : `HTTP ${d.responseStatus}`;
  if (d.state === 'delivered') return `Delivered (${status}) after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  if (d.state === 'failed') return `Failed after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}: ${status}`;
  return d.attempts === 0 ? 'Queued: sending…' : `Attempt ${d.attempts} failed (${status}); retrying with backoff…`;
}

/** The newest deliveries of one subscription, refreshed while shown. */
export function DeliveryLog({ webhook, watching, onTest, testing }: { webhook: WebhookRow; watching: string | null; onTest: () => void; testing: boolean }) {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const log = useQuery({ ...trpc.webhooks.deliveries.queryOptions({ id: webhook.id, limit: 50 }), refetchInterval: REFRESH_MS });
  const items = log.data?.items ?? [];
  const watched = watching ? items.find((d) => d.id === watching) : undefined;
  return (
    <section aria-labelledby="delivery-log-heading" className={styles.log}>
      <div className={styles.headRow}>
        <h2 id="delivery-log-heading">Deliveries of “{webhook.name}”</h2>
        <Button onClick={onTest} busy={testing} busyLabel="Sending test…">
          Send test
        </Button>
      </div>
      <p role="status" aria-live="polite" data-testid="test-result">
        {watching ? (watched ? `Test: ${deliveryWords(watched)}` : 'Test: queued, waiting for the worker…') : ''}
      </p>
      {log.isPending ? (
        <Loading what="deliveries" />
      ) : log.isError ? (
        <ErrorText error={log.error} action={<Button size="small" onClick={() => void log.refetch()}>Try again</Button>} />
      ) : items.length === 0 ? (
        <EmptyState title="No deliveries yet">Nothing has been sent to this URL. Press “Send test” to check the receiver, or wait for one of its events.</EmptyState>
      ) : (
        <Table label={`Deliveries of ${webhook.name}`}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <NumHead scope="col">Attempts</NumHead>
              <NumHead scope="col">Status</NumHead>
              <th scope="col">Answer (start) or error</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-delivery={d.id}>
                <td>
                  {formatDateTime(d.createdAt, zone)}
                  {d.lastAttemptAt ? <div className="muted">last try {formatDateTime(d.lastAttemptAt, zone)}</div> : null}
                </td>
                <td>{WEBHOOK_EVENT_LABELS[d.event]}</td>
                <td>
                  <Badge tone={STATE_TONE[d.state]}>{d.state}</Badge>
                </td>
                <Num>{d.attempts}</Num>
                <Num>{d.responseStatus ?? '—'}</Num>
                <td className={styles.response}>{d.response ? <ClampedText text={d.response} lines={2} /> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
