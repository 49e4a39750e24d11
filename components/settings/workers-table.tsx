'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc/client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorText } from '@/components/ui/error-text';
import { Loading } from '@/components/ui/spinner';
import { Num, NumHead, Table } from '@/components/ui/table';
import { useDisplayZone } from '@/components/ui/display-zone';
import { formatDateTime, formatTime } from '@/components/ui/format-time';

/** Same threshold as the server's health check (HEARTBEAT_STALE_MS in server/services/health.ts). */
const STALE_MS = 20_000;
const REFRESH_MS = 10_000;

export function WorkersTable() {
  const trpc = useTRPC();
  const zone = useDisplayZone();
  const workers = useQuery(trpc.system.workers.queryOptions(undefined, { refetchInterval: REFRESH_MS, staleTime: 0 }));
  if (workers.isPending) return <Loading what="workers" />;
  if (workers.isError) return <ErrorText error={workers.error} action={<Button size="small" onClick={() => void workers.refetch()}>Try again</Button>} />;
  if (!workers.data.length) {
    return (
      <EmptyState title="No worker has started">
        Workers start with <code>npm start</code>, or separately with <code>npm run worker</code>. Until one runs, nothing is applied to the platform.
      </EmptyState>
    );
  }
  const now = Date.now();
  return (
    <Table label="Workers">
      <thead>
        <tr>
          <th scope="col">Worker</th>
          <th scope="col">Host</th>
          <NumHead scope="col">PID</NumHead>
          <th scope="col">Started</th>
          <th scope="col">Last heartbeat</th>
        </tr>
      </thead>
      <tbody>
        {workers.data.map((w) => {
          const alive = now - w.beatAt.getTime() < STALE_MS;
          return (
            <tr key={w.id}>
              <th scope="row">
                <code>{w.id}</code>
              </th>
              <td>{w.hostname}</td>
              <Num>{w.pid}</Num>
              <td>{formatDateTime(w.startedAt, zone)}</td>
              <td>
                {formatTime(w.beatAt, zone, now)} {alive ? <Badge tone="success">alive</Badge> : <Badge tone="warning">silent</Badge>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
