import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ApiDocsPage } from '@/components/api-docs/api-docs-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'API reference' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/api-docs', await searchParams);
  return (
    // The filter lives in the URL (useSearchParams), which needs a Suspense boundary.
    <Suspense fallback={<Loading what="the API reference" />}>
      <ApiDocsPage />
    </Suspense>
  );
}
