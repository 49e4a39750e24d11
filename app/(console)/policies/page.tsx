import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PoliciesPage } from '@/components/policies/policies-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Policies' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/policies', await searchParams);
  return (
    <>
      <h1>Policies</h1>
      <p className="lead">Weights, watermarks and degradation, breakers and strategy order: a global default per kind, overridable per service. Every publish is a version; preview a change against the last minutes of real telemetry first.</p>
      {/* The selected policy lives in the URL (useSearchParams needs a Suspense boundary). */}
      <Suspense fallback={<Loading what="policies" />}>
        <PoliciesPage />
      </Suspense>
    </>
  );
}
