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
      <p className="lead">Region → zone → cluster → instance, coloured by load-aware weight, live every tick.</p>
      {/* TopologyView reads ?expand= with useSearchParams, which needs a Suspense boundary. */}
      <Suspense fallback={<Loading what="topology" />}>
        <TopologyView />
      </Suspense>
    </>
  );
}
