import type { Metadata } from 'next';
import { EditExperimentPage } from '@/components/experiments/editor-pages';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Experiment' };

type Props = { params: Promise<{ id: string }> };

export default async function Page({ params }: Props) {
  const { id } = await params;
  await requireUser(`/experiments/${encodeURIComponent(id)}`);
  return <EditExperimentPage id={id} />;
}
