import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditPage } from '@/components/audit/audit-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/audit', await searchParams);
  return (
    // AuditPage reads the filters with useSearchParams, which needs a Suspense boundary.
    <Suspense fallback={<Loading what="audit events" />}>
      <AuditPage />
    </Suspense>
  );
}
