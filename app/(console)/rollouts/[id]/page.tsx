import type { Metadata } from 'next';
import { RolloutPage } from '@/components/rollouts/rollout-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Rollout' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function Page({ params, searchParams }: Props) {
  const { id } = await params;
  // A webhook's approval link (?approval=<request>) survives the sign-in on the way.
  const { approval } = await searchParams;
  await requireUser(`/rollouts/${encodeURIComponent(id)}`, { approval });
  return <RolloutPage id={id} />;
}
