import type { Metadata } from 'next';
import { SafetyPage } from '@/components/safety/safety-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Safety' };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser('/safety', await searchParams);
  return (
    <>
      <h1>Safety</h1>
      <p className="lead">Halt-all stops every experiment and pauses every rollout at once; freeze windows refuse them for a while; the limits cap what any experiment may touch.</p>
      <SafetyPage />
    </>
  );
}
