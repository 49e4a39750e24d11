import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServicePage } from '@/components/services/service-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';
import { redirectLegacyId } from '@/app/_server/legacy-links';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function Page({ params, searchParams }: Props) {
  const name = decodeURIComponent((await params).name);
  const query = await searchParams;
  await requireUser(`/services/${encodeURIComponent(name)}`, query);
  await redirectLegacyId('service', name, query);
  return (
    // The page reads its range, sort and filters with useSearchParams, which needs a Suspense boundary.
    <Suspense fallback={<Loading what={`service ${name}`} />}>
      <ServicePage name={name} />
    </Suspense>
  );
}
