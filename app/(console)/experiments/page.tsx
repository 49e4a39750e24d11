import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ExperimentsPage } from '@/components/experiments/experiments-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Experiments' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/experiments', await searchParams);
  return (
    // The tab and the filters live in the URL (useSearchParams needs a Suspense boundary).
    <Suspense fallback={<Loading what="experiments" />}>
      <ExperimentsPage />
    </Suspense>
  );
}
