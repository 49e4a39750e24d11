import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ClusterPage } from '@/components/clusters/cluster-page';
import { Loading } from '@/components/ui/spinner';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Cluster ${decodeURIComponent((await params).name)}` };
}

export default async function Page({ params, searchParams }: Props) {
  const name = decodeURIComponent((await params).name);
  await requireUser(`/clusters/${encodeURIComponent(name)}`, await searchParams);
  return (
    <Suspense fallback={<Loading what={`cluster ${name}`} />}>
      <ClusterPage name={name} />
    </Suspense>
  );
}
