import type { Metadata } from 'next';
import { Suspense } from 'react';
import { MachinesPage } from '@/components/machines/machines-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'State machines' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/machines', await searchParams);
  return (
    <>
      <h1>State machines</h1>
      <p className="lead">The degradation ladder, the stage machine and the circuit breaker, with the policy values behind every edge and how often each fired — for one instance or the fleet.</p>
      <Suspense fallback={<Loading what="the machines" />}>
        <MachinesPage />
      </Suspense>
    </>
  );
}
