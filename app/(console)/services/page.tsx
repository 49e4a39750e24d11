import type { Metadata } from 'next';
import { ServicesListPage } from '@/components/services/services-list-page';
import { requireUser } from '@/app/_server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Services' };

export default async function Page() {
  await requireUser('/services');
  return <ServicesListPage />;
}
