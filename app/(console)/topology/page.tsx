import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TopologyView } from '@/components/topology-map/topology-view';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Topology' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/topology', await searchParams);
  return (
    <>
      <h1>Topology</h1>
      <p className="lead">The fleet as services and their calls, or as placement: region → zone → cluster → instance, live every tick.</p>
      {/* TopologyView reads its state from the URL with useSearchParams, which needs a Suspense boundary. */}
      <Suspense fallback={<Loading what="topology" />}>
        <TopologyView />
      </Suspense>
    </>
  );
}
