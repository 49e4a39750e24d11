import type { Metadata } from 'next';
import { RolloutPage } from '@/components/rollouts/rollout-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Rollout' };

type Props = { params: Promise<{ id: string }> };

export default async function Page({ params }: Props) {
  const { id } = await params;
  await requireUser(`/rollouts/${encodeURIComponent(id)}`);
  return <RolloutPage id={id} />;
}
