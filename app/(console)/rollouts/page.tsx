import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RolloutsPage } from '@/components/rollouts/rollouts-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Rollouts' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/rollouts', await searchParams);
  return (
    // The filters live in the URL (useSearchParams needs a Suspense boundary).
    <Suspense fallback={<Loading what="rollouts" />}>
      <RolloutsPage />
    </Suspense>
  );
}
