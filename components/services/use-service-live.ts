'use client';

import { notifyManager, skipToken, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef } from 'react';
import type { ServiceTickPayload } from '@/server/services/telemetry/telemetry-live';
import type { ServiceDetail, ServiceSeries } from '@/server/services/telemetry/telemetry-read-service';
import { useTRPC } from '@/components/trpc/client';
import { updateCached } from '@/components/telemetry/cache';
import { LIVE_WINDOW_S } from '@/components/telemetry/time-range';
import { mergeServiceDetail, mergeServiceSeries } from './live-merge';
import { useResubscribeOnError } from '@/components/ui/use-resubscribe';

const WINDOW_MS = LIVE_WINDOW_S * 1000;
const BUFFER = 400;
/** The service's live feed merged into the cached instance table and live split (see useInstanceLive). */
export function useServiceLive(name: string, serviceId: string | undefined, startAfter: string | null | undefined, liveSeries: ServiceSeries | undefined) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const buffer = useRef<ServiceTickPayload[]>([]);
  const detailKey = trpc.telemetry.service.queryKey({ name });
  const seriesKey = serviceId ? trpc.telemetry.serviceSeries.queryKey({ serviceId, range: { lastS: LIVE_WINDOW_S } }) : null;
  const keys = useRef({ detailKey, seriesKey });
  keys.current = { detailKey, seriesKey };

  const sub = useSubscription(
    trpc.telemetry.serviceLive.subscriptionOptions(serviceId && startAfter !== undefined ? { serviceId, lastEventId: startAfter, windowS: LIVE_WINDOW_S } : skipToken, {
      onData: (tracked) => {
        const p = tracked.data;
        buffer.current.push(p);
        if (buffer.current.length > BUFFER) buffer.current.splice(0, buffer.current.length - BUFFER);
        // One batch: the page renders once per tick, not once per query it changes.
        notifyManager.batch(() => {
          updateCached<ServiceDetail>(qc, keys.current.detailKey, (d) => mergeServiceDetail(d, p));
          if (keys.current.seriesKey) updateCached<ServiceSeries>(qc, keys.current.seriesKey, (s) => mergeServiceSeries(s, p, WINDOW_MS));
        });
      },
    }),
  );

  useEffect(() => {
    const key = keys.current.seriesKey;
    if (!liveSeries || !key) return;
    notifyManager.batch(() => {
      for (const p of buffer.current) updateCached<ServiceSeries>(qc, key, (s) => mergeServiceSeries(s, p, WINDOW_MS));
    });
  }, [liveSeries, qc]);

  useResubscribeOnError(sub);

  return sub;
}
