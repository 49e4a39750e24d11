import type { Metadata } from 'next';
import { Suspense } from 'react';
import { NewExperimentPage } from '@/components/experiments/editor-pages';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New experiment' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/experiments/new', await searchParams);
  return (
    // The template comes from the URL (useSearchParams needs a Suspense boundary).
    <Suspense fallback={<Loading what="the experiment form" />}>
      <NewExperimentPage />
    </Suspense>
  );
}
