import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TimelinePage } from '@/components/timeline/timeline-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Timeline' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/timeline', await searchParams);
  return (
    <>
      <h1>Timeline</h1>
      <p className="lead">State transitions, weight recomputes with their trigger and policy changes on one time axis. Rollout steps, approvals and chaos injections join it as they arrive.</p>
      <Suspense fallback={<Loading what="the timeline" />}>
        <TimelinePage />
      </Suspense>
    </>
  );
}
