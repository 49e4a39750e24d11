import type { Metadata } from 'next';
import { RunPage } from '@/components/experiments/run-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Experiment run' };

type Props = { params: Promise<{ id: string }> };

export default async function Page({ params }: Props) {
  const { id } = await params;
  await requireUser(`/experiments/runs/${encodeURIComponent(id)}`);
  return <RunPage id={id} />;
}
