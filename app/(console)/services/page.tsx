import type { Metadata } from 'next';
import { ComingSoon } from '@/components/pages/coming-soon';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Services' };

export default async function Page() {
  await requireUser('/services');
  return (
    <ComingSoon
      title="Services"
      points={[
        "Live weight graph (target vs effective) with its three inputs: CPU, P95 latency, connections.",
        "Stage states of the five-stage pipeline, buffer fill with the 60 / 85 / 95 % lines, breaker state and degradation level.",
        "An event timeline, a time-range picker, and links that carry the view in the URL.",
        "The stage, degradation and breaker state machines as diagrams, the current state lit live.",
      ]}
    >
      Per-service and per-instance pages for answering "why is p95 up in zone b?".
    </ComingSoon>
  );
}
