import { OverviewPage } from '@/components/overview/overview-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';

export default async function Page() {
  await requireUser('/');
  return <OverviewPage />;
}
