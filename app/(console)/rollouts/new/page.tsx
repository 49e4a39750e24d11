import type { Metadata } from 'next';
import { Suspense } from 'react';
import { NewRolloutPage } from '@/components/rollouts/new-rollout-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New rollout' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/rollouts/new', await searchParams);
  return (
    // The service and the draft id come from the URL (useSearchParams needs a Suspense boundary).
    <Suspense fallback={<Loading what="the rollout wizard" />}>
      <NewRolloutPage />
    </Suspense>
  );
}
